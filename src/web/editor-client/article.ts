import { renderMarkdown } from '../../text/markdown-html.js';
import { safeMarkdown } from '../../text/safe-markdown.js';
import { ApiError } from '../console-client/api.js';
import { renderAnswerDiff } from './answer-diff.js';
import type { EditorPage } from './main.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The article editor: live preview (the same safe Markdown and renderer the widget uses: raw
 * HTML off, only http(s)/mailto links), example questions as an editable list, save draft /
 * publish / archive through the article API, and the answer diff before publishing.
 */
export function startArticle(page: EditorPage) {
  const { call, t } = page;
  const form = $<HTMLFormElement>('article-form');
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  const body = field('body') as unknown as HTMLTextAreaElement;
  const preview = $('preview');
  const questions = $<HTMLOListElement>('questions');
  const status = $('status');
  let articleId = document.body.dataset.articleId ?? '';
  let version = Number(document.body.dataset.version) || undefined;
  const current = document.body.dataset.status ?? 'draft';

  const say = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle('error', error);
  };
  const showPreview = () => {
    // markdown-it output from sanitised Markdown with raw HTML refused: nothing here can run.
    preview.innerHTML = renderMarkdown(safeMarkdown(body.value));
  };
  const direction = () => {
    const dir = field('lang').value === 'ar' ? 'rtl' : 'ltr';
    body.dir = dir;
    preview.dir = dir;
  };
  body.addEventListener('input', showPreview);
  field('lang').addEventListener('change', direction);
  showPreview();

  const addQuestion = (value = '') => {
    const li = document.createElement('li');
    const wrap = document.createElement('span');
    wrap.className = 'q';
    const input = document.createElement('input');
    input.type = 'text';
    input.name = 'question';
    input.maxLength = 500;
    input.dir = 'auto';
    input.value = value;
    input.setAttribute('aria-label', t.questions);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'btn remove-question';
    remove.textContent = t.remove;
    wrap.append(input, remove);
    li.append(wrap);
    questions.append(li);
    return input;
  };
  $('add-question').addEventListener('click', () => addQuestion().focus());
  questions.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest('button.remove-question');
    button?.closest('li')?.remove();
  });

  const content = () => ({
    title: field('title').value.trim(),
    lang: field('lang').value as 'ar' | 'en',
    tags: field('tags')
      .value.split(/[,،]/)
      .map((s) => s.trim())
      .filter(Boolean),
    team: field('team').value.trim() || null,
    questions: [...questions.querySelectorAll<HTMLInputElement>('input[name="question"]')]
      .map((i) => i.value.trim())
      .filter(Boolean),
    body: body.value,
  });

  type Write = { article: { id: string; version: number; status: string } };
  async function save(publish: boolean) {
    say(t.working);
    try {
      let result: Write;
      if (!articleId) {
        const id = field('id').value.trim();
        result = await call<Write>('POST', '/v1/articles', {
          id,
          ...content(),
          status: publish ? 'published' : 'draft',
        });
      } else if (current === 'archived') {
        result = await call<Write>('POST', `/v1/articles/${encodeURIComponent(articleId)}/publish`);
      } else {
        result = await call<Write>('PUT', `/v1/articles/${encodeURIComponent(articleId)}`, {
          ...content(),
          ...(publish ? { status: 'published' } : {}),
          baseVersion: version,
        });
      }
      say(publish ? t.published : t.saved);
      const fresh = !articleId || current === 'archived';
      articleId = result.article.id;
      version = result.article.version;
      if (fresh || result.article.status !== current) {
        setTimeout(() => location.assign(`/console/editor/articles/${encodeURIComponent(articleId)}`), 800);
      }
    } catch (e) {
      say(`${t.failed}: ${e instanceof ApiError ? e.message : String(e)}`, true);
    }
  }
  $('save-draft').addEventListener('click', () => void save(false));
  $('publish').addEventListener('click', () => void save(true));
  document.getElementById('archive')?.addEventListener('click', async () => {
    try {
      await call('POST', `/v1/articles/${encodeURIComponent(articleId)}/archive`);
      say(t.archived);
      setTimeout(() => location.reload(), 800);
    } catch (e) {
      say(`${t.failed}: ${e instanceof ApiError ? e.message : String(e)}`, true);
    }
  });

  const diffOut = $('answer-diff');
  const check = $<HTMLButtonElement>('check-diff');
  check.addEventListener('click', async () => {
    check.disabled = true;
    diffOut.textContent = t.working;
    try {
      const id = articleId || field('id').value.trim();
      const diff = await call<Parameters<typeof renderAnswerDiff>[0]>('POST', '/v1/answer-diff', {
        article: { id, ...content() },
      });
      renderAnswerDiff(diff, diffOut, page);
    } catch (e) {
      diffOut.textContent = `${t.failed}: ${e instanceof ApiError ? e.message : String(e)}`;
    } finally {
      check.disabled = false;
    }
  });
}
