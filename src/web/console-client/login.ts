import { ApiError, type ConsolePage } from './api.js';
import { byId } from './dom.js';

/** The sign-in form posts to the login API; the session cookie it sets opens the console. */
export function startLogin({ t, call }: ConsolePage, next: string) {
  const form = byId<HTMLFormElement>('login');
  const error = byId('login-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const button = form.querySelector('button') as HTMLButtonElement;
    button.disabled = true;
    error.textContent = '';
    try {
      await call('POST', '/v1/auth/login', {
        email: String(data.get('email')),
        password: String(data.get('password')),
      });
      location.assign(next);
    } catch (e) {
      error.textContent = e instanceof ApiError && (e.status === 401 || e.status === 400) ? t.badCredentials : t.failed;
      button.disabled = false;
      (form.elements.namedItem('password') as HTMLInputElement).select();
    }
  });
}
