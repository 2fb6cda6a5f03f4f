import { consoleStrings } from '../console/strings.js';
import { ApiError, type ConsolePage, consoleApi } from './api.js';
import { startConversation } from './conversation.js';
import { byId } from './dom.js';
import { startLogin } from './login.js';
import { startQueue } from './queue.js';

/** One script for every console page: the body says which page this is. */
function start() {
  const body = document.body;
  const locale = body.dataset.locale === 'en' ? 'en' : 'ar';
  const t = consoleStrings(locale);
  const call = consoleApi(locale);
  const page: ConsolePage = { locale, t, call };

  const availability = byId<HTMLButtonElement>('availability');
  availability?.addEventListener('click', async () => {
    const available = availability.getAttribute('aria-checked') !== 'true';
    availability.setAttribute('aria-checked', String(available));
    try {
      await call('PUT', '/v1/me/availability', { available });
    } catch (error) {
      if (error instanceof ApiError) availability.setAttribute('aria-checked', String(!available));
    }
  });
  byId('sign-out')?.addEventListener('click', async () => {
    await call('POST', '/v1/auth/logout').catch(() => undefined);
    location.assign(`/console/login?locale=${locale}`);
  });

  if (body.dataset.page === 'login') startLogin(page, body.dataset.next ?? '/console');
  else if (body.dataset.page === 'queue') startQueue(page);
  else if (body.dataset.page === 'conversation') {
    startConversation(page, body.dataset.conversation ?? '', {
      id: body.dataset.me ?? '',
      name: body.dataset.meName ?? '',
    });
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
