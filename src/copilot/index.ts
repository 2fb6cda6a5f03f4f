import type { DraftReply } from '../bot/index.js';
import type { Inbox } from '../inbox/index.js';
import type { Module, Platform } from '../platform/module.js';
import { deskRoutes } from './desk-routes.js';
import { copilotRoutes } from './routes.js';
import { suggestions } from './suggestions.js';

export { editDistance } from './edit-distance.js';
export { renderTemplate, TEMPLATE_VARIABLES } from './templates.js';

/** The agent's side: the queue and replies (through the inbox), suggested replies, templates. */
export function copilotModule(platform: Platform, inbox: Inbox, draft: DraftReply): Module {
  const service = suggestions(platform, draft);
  return {
    name: 'copilot',
    routes: () => {
      const app = deskRoutes(platform, inbox, service);
      app.route('/', copilotRoutes(platform, service));
      return app;
    },
  };
}
