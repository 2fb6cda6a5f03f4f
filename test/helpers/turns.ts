import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { botModule } from '../../src/bot/index.js';
import { type Inbox, inboxModule, type ReceiveOutcome } from '../../src/inbox/index.js';
import { createMetrics } from '../../src/platform/http/metrics.js';
import { testConfig, type testDeps } from './backends.js';

type Deps = Awaited<ReturnType<typeof testDeps>>;

/** An inbox whose bot runs with other settings (thresholds, budgets, logs) on the same database. */
export function inboxWith(deps: Deps, config: Record<string, string> = {}, log?: Logger): Inbox {
  const platform = {
    ...deps.service.platform,
    config: testConfig(config),
    log: log ?? deps.log,
    metrics: createMetrics(),
  };
  return inboxModule(platform, botModule(platform, deps.kb).decide);
}

export type TurnResult = ReceiveOutcome & {
  answer?: NonNullable<ReceiveOutcome['decision']>['answer'];
  retrieval?: NonNullable<ReceiveOutcome['decision']>['retrieval'];
  sentiment?: NonNullable<ReceiveOutcome['decision']>['sentiment'];
};

/** One customer message through the inbox, in a new conversation unless one is given. */
export async function turn(inbox: Inbox, text: string, conversationId?: string): Promise<TurnResult> {
  const id = conversationId ?? (await inbox.open({ channel: 'api', externalId: randomUUID() })).id;
  const outcome = await inbox.receive({ conversationId: id, text });
  return {
    ...outcome,
    answer: outcome.decision?.answer,
    retrieval: outcome.decision?.retrieval,
    sentiment: outcome.decision?.sentiment,
  };
}
