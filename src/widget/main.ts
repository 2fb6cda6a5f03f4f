import { chatApi, type UserIdentity } from './api.js';
import { Chat } from './chat.js';
import { type Locale, localeOf } from './i18n.js';

/** What a site sets before the script tag, in the style of Chatwoot's `chatwootSettings`. */
interface SanadSettings {
  locale?: Locale;
  position?: 'left' | 'right';
  /** Where Sanad runs; by default, where this script was loaded from. */
  baseUrl?: string;
  /** A signed-in user of the site: their id, and its HMAC made by the site's server. */
  user?: UserIdentity;
}

interface SanadApi {
  toggle(open?: boolean): void;
  setLocale(locale: Locale): void;
  setUser(user: UserIdentity | undefined): void;
  reset(): void;
}

declare global {
  interface Window {
    sanadSettings?: SanadSettings;
    sanad?: SanadApi;
  }
}

function start() {
  if (window.sanad) return;
  const settings = window.sanadSettings ?? {};
  const script = document.currentScript as HTMLScriptElement | null;
  const base = (settings.baseUrl ?? (script?.src ? new URL(script.src).origin : window.location.origin)).replace(
    /\/$/,
    '',
  );
  const locale = localeOf(settings.locale ?? document.documentElement.lang, 'ar');
  const mount = () => {
    const chat = new Chat({ base, locale, position: settings.position, user: settings.user, api: chatApi(base) });
    window.sanad = {
      toggle: (open) => chat.toggle(open),
      setLocale: (l) => chat.setLocale(localeOf(l, locale)),
      setUser: (user) => chat.setUser(user),
      reset: () => chat.reset(),
    };
    window.dispatchEvent(new Event('sanad:ready'));
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

start();
