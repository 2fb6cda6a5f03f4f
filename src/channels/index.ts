import type { Module, Platform } from '../platform/module.js';
import type { Channel } from './channel.js';
import { delivery } from './delivery.js';

export type { Channel, DeliveryReceipt, DeliveryStatusUpdate, OutboundMessage } from './channel.js';
export { deliveryRecords } from './delivery-records.js';

/** Every channel's inbound routes, and the one outbound path all of them share. */
export function channelsModule(platform: Platform, channels: Channel[]): Module {
  const byName = new Map(channels.map((c) => [c.name, c]));
  const outbound = delivery(platform, byName);
  return {
    name: 'channels',
    subscribers: [outbound.subscriber],
    jobs: [outbound.job],
    routes: () => {
      const [first, ...rest] = channels.flatMap((c) => (c.routes ? [c.routes()] : []));
      if (!first) throw new Error('no channel has routes');
      for (const r of rest) first.route('/', r);
      return first;
    },
  };
}
