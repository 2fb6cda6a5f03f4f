import { ApiError } from '../console-client/api.js';
import type { EditorPage } from './main.js';

function say(text: string, error = false) {
  const status = document.getElementById('status');
  if (!status) return;
  status.textContent = text;
  status.classList.toggle('error', error);
}
const problemText = (e: unknown) => (e instanceof ApiError ? e.message : String(e));

/** Restore buttons on the history page: the API's note says which status the article stays in. */
export function startHistory({ call, t }: EditorPage) {
  const id = document.body.dataset.articleId as string;
  for (const button of document.querySelectorAll<HTMLButtonElement>('button.restore')) {
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const result = await call<{
          restoredFrom: number;
          changed: string[];
          article: { version: number; status: string };
        }>('POST', `/v1/articles/${encodeURIComponent(id)}/versions/${button.dataset.version}/restore`);
        if (result.changed.length === 0) {
          say(t.noDifference);
          button.disabled = false;
          return;
        }
        say(
          t.restored
            .replace('{from}', String(result.restoredFrom))
            .replace('{to}', String(result.article.version))
            .replace('{status}', t.stays[result.article.status] ?? result.article.status),
        );
        setTimeout(() => location.assign(`${location.pathname}?to=${result.article.version}`), 1500);
      } catch (e) {
        say(`${t.failed}: ${problemText(e)}`, true);
        button.disabled = false;
      }
    });
  }
}

/** Learned phrasing: accept or dismiss in one click; the auto-accept switch. */
export function startPhrasing({ call, t }: EditorPage) {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button.decide')) {
    button.addEventListener('click', async () => {
      const row = button.closest<HTMLElement>('tr[data-phrasing]');
      if (!row) return;
      for (const b of row.querySelectorAll('button')) b.disabled = true;
      try {
        await call('POST', `/v1/learned-phrasing/${row.dataset.phrasing}/${button.dataset.action}`);
        row.remove();
      } catch (e) {
        say(`${t.failed}: ${problemText(e)}`, true);
        for (const b of row.querySelectorAll('button')) b.disabled = false;
      }
    });
  }
  const toggle = document.getElementById('auto-accept');
  toggle?.addEventListener('click', async () => {
    const next = toggle.getAttribute('aria-checked') !== 'true';
    try {
      await call('PUT', '/v1/learned-phrasing/settings', { autoAccept: next });
      toggle.setAttribute('aria-checked', String(next));
    } catch (e) {
      say(`${t.failed}: ${problemText(e)}`, true);
    }
  });
}
