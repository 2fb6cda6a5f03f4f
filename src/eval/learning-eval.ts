import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createStaff } from '../auth/staff.js';
import { acceptPhrasing, listPhrasings } from '../editor/index.js';
import { buildService } from '../modules.js';
import { compose } from '../platform/compose.js';
import type { Config } from '../platform/config.js';
import { one } from '../platform/db/db.js';
import { throwawayDatabase } from '../platform/db/throwaway.js';
import { type RetrievalCase, readRetrievalCases } from './cases.js';
import { type CaseOutcome, caseOutcome } from './retrieval-eval.js';

export interface LearningFigures {
  top1: number;
  answeredRate: number;
  answeredPrecision: number;
}

export interface LearningReport {
  /** Answerable cases replayed as resolved hand-offs, and those measured before and after. */
  learned: number;
  measured: number;
  proposed: number;
  accepted: number;
  articlesChanged: number;
  before: LearningFigures;
  after: LearningFigures;
  /** Out-of-scope cases still handed off (learning must not make the bot answer them). */
  outOfScope: { cases: number; handedOffBefore: number; handedOffAfter: number };
}

/**
 * Every other answerable case (in file order) is learned, the rest measured: two halves of one
 * size, with no choice of which cases are easy to learn from.
 */
export function splitCases(cases: RetrievalCase[]) {
  const answerable = cases.filter((c) => c.expected !== null);
  return {
    learn: answerable.filter((_, i) => i % 2 === 0),
    measure: answerable.filter((_, i) => i % 2 === 1),
    outOfScope: cases.filter((c) => c.expected === null),
  };
}

function figures(outcomes: CaseOutcome[]): LearningFigures {
  const answered = outcomes.filter((o) => o.answered);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    top1: ratio(outcomes.filter((o) => o.rank === 1).length, outcomes.length),
    answeredRate: ratio(answered.length, outcomes.length),
    answeredPrecision: ratio(answered.filter((o) => o.answeredArticle === o.expected).length, answered.length),
  };
}

/**
 * What learned phrasing is worth: measure half of the answerable cases through the real turn;
 * replay the other half as hand-offs an agent resolved with a reply citing the expected article
 * (the customer asks for a person, so every one is handed off whatever the bot knew); let the
 * conversation.resolved subscriber propose their phrasing, accept every proposal, index once,
 * and measure the first half again. Everything runs on a throw-away database.
 */
export async function evaluateLearning(
  config: Config,
  kbDir: string,
  casesFile: string,
  onProgress?: (stage: string, done: number, total: number) => void,
): Promise<LearningReport> {
  const { learn, measure, outOfScope } = splitCases(await readRetrievalCases(casesFile));
  const db = await throwawayDatabase(config.DATABASE_URL);
  const service = await compose(config, pino({ level: 'silent' }), buildService({ print: () => {} }), {
    db,
    prefix: `sanad-eval-learning-${process.pid}`,
  });
  try {
    const { kb, inbox, platform } = service;
    await kb.importFolder(kbDir);
    const run = async (stage: string, cases: RetrievalCase[]) => {
      // The in-memory index as the service serves it once built (it follows the changes made).
      await kb.ready();
      const retriever = await kb.retriever();
      const out: CaseOutcome[] = [];
      for (const [i, c] of cases.entries()) {
        out.push((await caseOutcome(service, retriever, c, `learning-${stage}-${i}`)).outcome);
        onProgress?.(stage, i + 1, cases.length);
      }
      return out;
    };
    const before = await run('before', measure);
    const oosBefore = await run('out-of-scope before', outOfScope);

    const agent = await createStaff(db, {
      email: `eval-${randomUUID().slice(0, 8)}@sanad.invalid`,
      name: 'Eval agent',
      role: 'agent',
      password: randomUUID(),
      team: null,
    });
    for (const [i, c] of learn.entries()) {
      const conversation = await inbox.open({ channel: 'api', externalId: `learning-replay-${i}` });
      await inbox.receive({ conversationId: conversation.id, text: c.question, intent: 'human' });
      await inbox.assign(conversation.id, agent.id);
      await inbox.reply({
        conversationId: conversation.id,
        author: { id: agent.id, name: agent.name },
        text: 'Here is the answer.',
        articleIds: [c.expected as string],
      });
      await inbox.resolve(conversation.id);
      onProgress?.('replay', i + 1, learn.length);
    }
    await settled(service.platform);

    const proposals = await listPhrasings(db, { status: 'proposed', limit: 100_000 });
    const touched = new Set<string>();
    for (const p of proposals) {
      const { changed, article } = await acceptPhrasing(platform.events, p.id, 'eval');
      if (changed.length) touched.add(article.id);
    }
    // The next index update: one pass over the changed articles, one retraining.
    await kb.indexMany([...touched]);
    const after = await run('after', measure);
    const oosAfter = await run('out-of-scope after', outOfScope);
    const handedOff = (o: CaseOutcome[]) => o.filter((x) => !x.answered).length;
    return {
      learned: learn.length,
      measured: measure.length,
      proposed: proposals.length,
      accepted: proposals.length,
      articlesChanged: touched.size,
      before: figures(before),
      after: figures(after),
      outOfScope: {
        cases: outOfScope.length,
        handedOffBefore: handedOff(oosBefore),
        handedOffAfter: handedOff(oosAfter),
      },
    };
  } finally {
    await service.close();
    await db.close();
  }
}

/** Waits until every event is dispatched (the learned-phrasing subscriber has run). */
async function settled(platform: { db: Parameters<typeof one>[0]; jobs: { idle(): Promise<void> } }) {
  for (let i = 0; i < 600; i++) {
    await platform.jobs.idle();
    const row = await one<{ n: number }>(
      platform.db,
      'SELECT count(*)::int AS n FROM events WHERE dispatched_at IS NULL',
    );
    if (!row?.n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('events were still undispatched after a minute');
}
