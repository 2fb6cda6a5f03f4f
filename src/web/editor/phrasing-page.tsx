import type { LearnedPhrasing } from '../../editor/learned-phrasing.js';
import { Shell, when } from './shell.js';
import { editorStrings, type Locale } from './strings.js';

/** Learned phrasing waiting for an editor: accept or dismiss in one click; the auto-accept setting. */
export function PhrasingPage(props: {
  locale: Locale;
  nonce: string;
  me: string;
  phrasings: LearnedPhrasing[];
  /** Live paraphrases a model wrote (LLM_PARAPHRASES), each removable. */
  generated?: LearnedPhrasing[];
  autoAccept: boolean;
}) {
  const { locale } = props;
  const t = editorStrings(locale);
  return (
    <Shell
      locale={locale}
      nonce={props.nonce}
      title={t.phrasing}
      path="/console/editor/phrasing"
      section="phrasing"
      me={props.me}
      data={{ page: 'phrasing' }}
    >
      <div class="bar">
        <h1>{t.phrasing}</h1>
        <button
          type="button"
          id="auto-accept"
          class="switch btn"
          role="switch"
          aria-checked={props.autoAccept ? 'true' : 'false'}
        >
          <span class="track" aria-hidden="true" />
          <span>{t.autoAccept}</span>
        </button>
      </div>
      <p class="intro">{t.phrasingIntro}</p>
      <p class="status-line" id="status" role="status" aria-live="polite" />
      <div class="card">
        {props.phrasings.length === 0 ? (
          <p class="pane">{t.noPhrasing}</p>
        ) : (
          <table class="list">
            <tbody>
              {props.phrasings.map((p) => (
                <tr data-phrasing={p.id}>
                  <td dir="auto">{p.question}</td>
                  <td>
                    {t.forArticle}{' '}
                    <a href={`/console/editor/articles/${encodeURIComponent(p.article_id)}`}>
                      <bdi>{p.article_title}</bdi>
                    </a>
                  </td>
                  <td class="meta">{when(p.created_at, locale)}</td>
                  <td>
                    <span class="actions">
                      <button type="button" class="btn primary decide" data-action="accept">
                        {t.accept}
                      </button>
                      <button type="button" class="btn decide" data-action="dismiss">
                        {t.dismiss}
                      </button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {props.generated?.length ? (
        <>
          <h2>{t.generatedPhrasing}</h2>
          <p class="intro">{t.generatedIntro}</p>
          <div class="card">
            <table class="list">
              <tbody>
                {props.generated.map((p) => (
                  <tr data-phrasing={p.id} data-origin="generated">
                    <td dir="auto">{p.question}</td>
                    <td class="meta">{p.variety ? (t.varieties[p.variety] ?? p.variety) : ''}</td>
                    <td>
                      {t.forArticle}{' '}
                      <a href={`/console/editor/articles/${encodeURIComponent(p.article_id)}`}>
                        <bdi>{p.article_title}</bdi>
                      </a>
                    </td>
                    <td>
                      <button type="button" class="btn decide" data-action="dismiss">
                        {t.remove}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </Shell>
  );
}
