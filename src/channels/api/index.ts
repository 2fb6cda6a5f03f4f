import type { Inbox } from '../../inbox/index.js';
import type { Platform } from '../../platform/module.js';
import type { Channel } from '../channel.js';
import { feedRoutes } from './feed-routes.js';
import { apiRoutes } from './routes.js';

/**
 * The REST API as a channel: the caller gets the reply in the response (and on the live feed),
 * so delivery has nothing left to send and records the reply as delivered.
 */
export function apiChannel(platform: Platform, inbox: Inbox): Channel {
  return {
    name: 'api',
    routes: () => {
      const app = apiRoutes(platform, inbox);
      app.route('/', feedRoutes(platform));
      return app;
    },
    async deliver() {
      return { status: 'delivered' };
    },
  };
}
