import type { Module, Platform } from '../platform/module.js';
import type { Channel } from './channel.js';
import { delivery } from './delivery.js';

export type { Channel, DeliveryReceipt, DeliveryStatusUpdate, OutboundMessage } from './channel.js';
export { DeliveryRefused } from './channel.js';
export { deliveryRecords } from './delivery-records.js';

/** Every channel's inbound routes, and the one outbound path all of them share. */
export function channelsModule(platform: Platform, channels: Channel[]): Module {
  const byName = new Map(channels.map((c) => [c.name, c]));
  const outbound = delivery(platform, byName);
  let sweep: NodeJS.Timeout | undefined;
  return {
    name: 'channels',
    subscribers: [outbound.subscriber],
    jobs: [outbound.job, ...channels.flatMap((c) => c.jobs ?? [])],
    async start() {
      for (const c of channels) await c.start?.();
      await outbound.sweep();
      sweep = setInterval(
        () => void outbound.sweep().catch((err) => platform.log.warn({ err }, 'delivery sweep')),
        outbound.staleMs,
      );
      sweep.unref();
    },
    async stop() {
      clearInterval(sweep);
      for (const c of [...channels].reverse()) await c.stop?.();
    },
    routes: () => {
      const [first, ...rest] = channels.flatMap((c) => (c.routes ? [c.routes()] : []));
      if (!first) throw new Error('no channel has routes');
      for (const r of rest) first.route('/', r);
      return first;
    },
  };
}
