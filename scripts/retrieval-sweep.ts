/**
 * npx tsx scripts/retrieval-sweep.ts KB_DIR CASES_FILE
 *
 * Top-1 and top-3 of retrieval alone (as the eval ranks, without the conversation turn), about
 * 20 s a set: for trying retrieval settings quickly. SWEEP='[{"intentWeight":3},{"rrfK":20}]'
 * scores each partial RetrievalTuning in turn over one index; MISSES=1 lists the misses with
 * the query's terms. Figures to report come from `npm run eval -- retrieval`.
 */
import pino from 'pino';
import { retrieveWithFallback, searchText } from '../src/bot/decide.js';
import { readRetrievalCases } from '../src/eval/cases.js';
import { defaultTuning } from '../src/knowledge/retrieve.js';
import { buildService } from '../src/modules.js';
import { compose } from '../src/platform/compose.js';
import { loadConfig } from '../src/platform/config.js';
import { throwawayDatabase } from '../src/platform/db/throwaway.js';
import { detectLanguage } from '../src/text/language.js';
import { redact } from '../src/text/redact.js';

const [kbDir, casesFile] = process.argv.slice(2) as [string, string];
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const cases = await readRetrievalCases(casesFile);
const db = await throwawayDatabase(config.DATABASE_URL);
const service = await compose(config, pino({ level: 'silent' }), buildService({ print: () => {} }), {
  db,
  prefix: `sweep-${process.pid}`,
});
const t0 = performance.now();
await service.kb.importFolder(kbDir);
await service.kb.ready();
const retriever = await service.kb.retriever();
process.stderr.write(`built in ${Math.round(performance.now() - t0)} ms\n`);
// The index's retriever reads defaultTuning's fields at each query (candidates excepted): setting them retunes it.
const base = { ...defaultTuning };
const sweep: Partial<typeof defaultTuning>[] = JSON.parse(process.env.SWEEP ?? '[{}]');
const misses = process.env.MISSES === '1';
for (const s of sweep) {
  Object.assign(defaultTuning, base, s);
  let top1 = 0,
    top3 = 0,
    n = 0;
  for (const c of cases) {
    if (c.expected === null) continue;
    const lang = c.lang ?? detectLanguage(c.question).lang;
    const r = await retrieveWithFallback(retriever, searchText(redact(c.question).text, lang), lang, 10);
    const i = r.articles.findIndex((a) => a.articleId === c.expected);
    n++;
    if (i === 0) top1++;
    if (i >= 0 && i < 3) top3++;
    if (misses && i !== 0)
      console.log(`MISS\t${c.expected}\t${r.articles[0]?.articleId}\t${c.question}\t${r.queryTerms.join(' ')}`);
  }
  console.log(
    `${JSON.stringify(s)}\ttop1 ${((top1 / n) * 100).toFixed(1)}\ttop3 ${((top3 / n) * 100).toFixed(1)}\tn ${n}`,
  );
}
await service.close();
await db.close();
