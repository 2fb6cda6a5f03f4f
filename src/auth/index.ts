import type { Module, Platform } from '../platform/module.js';
import { ensureFirstAdmin } from './bootstrap.js';
import { authenticate } from './middleware.js';
import { authRoutes } from './routes.js';
import { sameOriginWrites } from './same-origin.js';

export { createCustomerToken } from './customer-tokens.js';

/** Staff, sessions, API keys and customer tokens: who is calling, for every /v1 route. */
export function authModule(platform: Platform, options: { print?: (text: string) => void } = {}): Module {
  return {
    name: 'auth',
    middleware: [sameOriginWrites(platform.config), authenticate(platform.db, platform.config)],
    routes: () => authRoutes(platform),
    async start() {
      await ensureFirstAdmin(platform.db, platform.config, options.print ?? ((t) => process.stderr.write(t)));
    },
  };
}
