import { consoleApi } from '../console-client/api.js';
import { editorStrings, type Locale } from '../editor/strings.js';
import { startArticle } from './article.js';
import { startHistory, startPhrasing } from './decisions.js';

/** The editor console's one script: what each page needs, by its data-page attribute. */
const locale = (document.body.dataset.locale === 'en' ? 'en' : 'ar') as Locale;
const page = { t: editorStrings(locale), call: consoleApi(locale), locale };
export type EditorPage = typeof page;

document.getElementById('sign-out')?.addEventListener('click', async () => {
  await page.call('POST', '/v1/auth/logout').catch(() => undefined);
  location.assign(`/console/login?locale=${locale}&next=/console/editor`);
});

const which = document.body.dataset.page;
if (which === 'article') startArticle(page);
else if (which === 'history') startHistory(page);
else if (which === 'phrasing') startPhrasing(page);
