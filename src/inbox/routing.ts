import type { Events } from '../platform/events/outbox.js';
import type { Logger } from '../platform/log.js';
import type { Conversation } from './store.js';
import { conversationView } from './views.js';

// Raised by this much once a conversation has waited past the SLA, so it rises to the top.
const SLA_PRIORITY_BOOST = 20;
// Held while assigning, so two processes never give one agent more than their capacity.
const ROUTING_LOCK = 7_324_003;

/**
 * Who takes a waiting conversation: an available agent of its team (or one without a team),
 * the least loaded first, within their capacity. Conversations are taken most urgent first.
 */
export function routing(events: Events, log: Logger, slaWaitMinutes: number) {
  async function assignWaiting(): Promise<number> {
    let assigned = 0;
    for (;;) {
      const done = await events.transaction(async (tx, emit) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [ROUTING_LOCK]);
        const [pick] = await tx.query<{ conversation_id: string; staff_id: string }>(
          `SELECT c.id AS conversation_id, s.id AS staff_id
           FROM conversations c
           JOIN LATERAL (
             SELECT st.id, (SELECT count(*) FROM conversations o WHERE o.assigned_to = st.id AND o.status = 'assigned') AS load,
               st.capacity
             FROM staff st
             WHERE st.available AND st.disabled_at IS NULL AND st.role = 'agent' AND (st.team IS NULL OR st.team = c.team)
           ) s ON s.load < s.capacity
           WHERE c.status = 'waiting_human'
           ORDER BY c.priority DESC, c.handed_off_at ASC, s.load ASC, s.id
           LIMIT 1`,
        );
        if (!pick) return true;
        const [updated] = await tx.query<Conversation>(
          `UPDATE conversations SET status = 'assigned', assigned_to = $2, updated_at = now()
           WHERE id = $1 AND status = 'waiting_human' RETURNING *`,
          [pick.conversation_id, pick.staff_id],
        );
        if (updated) {
          await emit({
            type: 'conversation.assigned',
            conversationId: updated.id,
            data: { ...conversationView(updated), auto: true },
          });
        }
        return false;
      });
      if (done) return assigned;
      assigned++;
    }
  }

  /** Conversations waiting longer than SLA_WAIT_MINUTES: flagged once, raised in priority. */
  async function flagBreaches(): Promise<number> {
    return events.transaction(async (tx, emit) => {
      const breached = await tx.query<Conversation>(
        `UPDATE conversations SET sla_breached_at = now(), priority = priority + $2, updated_at = now()
         WHERE status = 'waiting_human' AND sla_breached_at IS NULL
           AND handed_off_at < now() - ($1 || ' minutes')::interval
         RETURNING *`,
        [String(slaWaitMinutes), SLA_PRIORITY_BOOST],
      );
      for (const c of breached) {
        await emit({ type: 'conversation.sla_breached', conversationId: c.id, data: conversationView(c) });
      }
      return breached.length;
    });
  }

  async function sweep() {
    const flagged = await flagBreaches();
    const assigned = await assignWaiting();
    if (flagged || assigned) log.info({ flagged, assigned }, 'queue sweep');
  }

  return { assignWaiting, flagBreaches, sweep };
}
