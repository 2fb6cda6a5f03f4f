import type { Inbox } from '../../inbox/index.js';
import type { Platform } from '../../platform/module.js';
import type { Channel } from '../channel.js';
import { WIDGET_CHANNEL, widgetRoutes } from './routes.js';

export { userHash } from './identity.js';
export { WIDGET_CHANNEL } from './routes.js';

/**
 * The web-chat widget as a channel: visitors write through the REST routes with a customer
 * token and follow their conversation's live feed, so delivery has nothing left to send.
 */
export function widgetChannel(platform: Platform, inbox: Inbox): Channel {
  return {
    name: WIDGET_CHANNEL,
    routes: () => widgetRoutes(platform, inbox),
    async deliver() {
      return { status: 'delivered' };
    },
  };
}
