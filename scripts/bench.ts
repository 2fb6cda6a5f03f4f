/**
 * npm run --silent bench [-- --quick] [--json]
 *   [--chunks 1000,10000,50000] [--http-concurrency 1,8,32] [--http-seconds 4] [--model-turns 20]
 *   [--sizes 100] [--queries 60] [--turn-seconds 0 --concurrency 1,4,16] [--overfetch 2,4] [--seed 1]
 *   [--only database,index,service,peer] [--backends pglite,postgres] [--processes] [--process-concurrency 32]
 *   [--statements] (each database statement of a turn over HTTP: how often, how long)
 * Sections, each in the same run:
 *  1. retrieval from the in-memory index at 1k/10k/50k chunks against an exact scan (recall@10);
 *  2. the database level: synthetic knowledge bases of --sizes articles in a throw-away database
 *     (PGlite, and Postgres when DATABASE_URL is set): ingestion, the SQL vector search with HNSW
 *     and exact, the index, plans; optionally turns through the inbox (--turn-seconds);
 *  3. the service over HTTP on loopback: the sample knowledge base loaded (ingestion rate, first
 *     index build), turns at 1/8/32 concurrent conversations next to a trivial route, memory;
 *     on Postgres, the same turns through one and then two separate API processes (--processes);
 *  4. the OpenAI answerer stubbed on loopback at a fixed 400 ms: our share of the turn and the
 *     first streamed token's delay;
 *  5. our retrieval against a peer library (MiniSearch) on the development sets.
 * Progress goes to stderr; with --json the last line of stdout is one JSON object.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createApiKey } from '../src/auth/api-keys.js';
import { benchConfig } from '../src/bench/bench-config.js';
import { type HttpTurns, httpTurns, postgresCpu, serveLoopback } from '../src/bench/http-turns.js';
import { type IngestReport, ingest } from '../src/bench/ingest.js';
import { describeMachine, type Machine } from '../src/bench/machine.js';
import { type MemorySnapshot, memory } from '../src/bench/memory.js';
import { type ModelShare, measureModelShare, modelStub } from '../src/bench/model-share.js';
import { comparePeer, type PeerResult } from '../src/bench/peer.js';
import { explainVector, type PlanReport } from '../src/bench/plans.js';
import { type ApiProcess, apiProcess } from '../src/bench/processes.js';
import {
  benchRetrieval,
  intentModelInUse,
  prepareQueries,
  type RetrievalBench,
  type ScanMode,
} from '../src/bench/retrieval.js';
import { type ScaleResult, scaleLevel } from '../src/bench/scale.js';
import { type StatementTiming, statementTimer } from '../src/bench/statements.js';
import { type StorageReport, statistics, storage } from '../src/bench/storage.js';
import { syntheticKnowledgeBase } from '../src/bench/synthetic.js';
import { type TurnLoad, turnLoad } from '../src/bench/turns.js';
import { readRetrievalCases } from '../src/eval/cases.js';
import { readFolder } from '../src/knowledge/folder.js';
import { INTENT_DIMS, knowledgeBase } from '../src/knowledge/knowledge-base.js';
import { LocalHashEmbedder } from '../src/knowledge/local-embedder.js';
import { buildService } from '../src/modules.js';
import { compose } from '../src/platform/compose.js';
import { loadConfig } from '../src/platform/config.js';
import type { Db } from '../src/platform/db/db.js';
import { throwawayDatabase } from '../src/platform/db/throwaway.js';
import { detectLanguage } from '../src/text/language.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    chunks: { type: 'string' },
    'http-concurrency': { type: 'string', default: '1,8,32' },
    'http-seconds': { type: 'string' },
    'model-turns': { type: 'string' },
    dev: { type: 'string', default: '../shared/eval/dev' },
    sizes: { type: 'string' },
    queries: { type: 'string' },
    'turn-seconds': { type: 'string', default: '0' },
    'max-turns': { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '1,4,16' },
    overfetch: { type: 'string', default: '2,4' },
    seed: { type: 'string', default: '1' },
    kb: { type: 'string' },
    cases: { type: 'string', default: 'test/fixtures/eval/retrieval.jsonl' },
    'index-after-load': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    only: { type: 'string', default: 'database,index,service,peer' },
    processes: { type: 'boolean' },
    'process-concurrency': { type: 'string', default: '32' },
    backends: { type: 'string', default: 'pglite,postgres' },
    statements: { type: 'boolean', default: false },
  },
});

const fail = (message: string): never => {
  process.stderr.write(
    `${message}\nUsage: npm run --silent bench -- [--sizes 100,1000,3000] [--queries 60] [--turn-seconds 5] [--concurrency 1,4,16] [--overfetch 2,4] [--seed 1] [--json]\n`,
  );
  process.exit(2);
};
const ints = (name: string, raw: string, min: number): number[] => {
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (!list.length || list.some((n) => !Number.isInteger(n) || n < min)) fail(`--${name} must be integers >= ${min}`);
  return list;
};
const quick = values.quick;
const sizes = ints('sizes', values.sizes ?? (quick ? '10' : '100'), 2);
const scaleChunks = ints('chunks', values.chunks ?? (quick ? '1000,10000' : '1000,10000,50000'), 10);
const httpConcurrency = ints('http-concurrency', values['http-concurrency'], 1);
const [httpSeconds = 4] = ints('http-seconds', values['http-seconds'] ?? (quick ? '2' : '5'), 1);
const [modelTurns = 20] = ints('model-turns', values['model-turns'] ?? (quick ? '10' : '20'), 1);
const [queryCount = 60] = ints('queries', values.queries ?? (quick ? '30' : '60'), 1);
const turnSeconds = Number(values['turn-seconds']);
if (!Number.isFinite(turnSeconds) || turnSeconds < 0 || turnSeconds > 120) fail('--turn-seconds must be 0..120');
const [maxTurns = 2000] = ints('max-turns', values['max-turns'], 1);
const concurrencies = ints('concurrency', values.concurrency, 1);
const processConcurrency = ints('process-concurrency', values['process-concurrency'], 1);
if (concurrencies.some((c) => c > 64)) fail('--concurrency must be at most 64');
const overfetch = ints('overfetch', values.overfetch, 1);
const [seed = 1] = ints('seed', values.seed, 0);
const words = (name: string, raw: string, allowed: string[]): Set<string> => {
  const list = raw.split(',').map((s) => s.trim());
  if (list.some((w) => !allowed.includes(w))) fail(`--${name} takes ${allowed.join(', ')}`);
  return new Set(list);
};
// A focused run (one section, one backend) while tuning; the report leaves out what did not run.
const only = words('only', values.only, ['database', 'index', 'service', 'peer']);
const backends = words('backends', values.backends, ['pglite', 'postgres']);

const config = benchConfig();
const progress = (line: string) => process.stderr.write(`${line}\n`);

/** One state of the database: as ingested (no planner statistics), then after ANALYZE. */
interface PhaseResult {
  phase: 'as ingested' | 'analyzed';
  /** reltuples per table: -1 means never analyzed. */
  statistics: Record<string, number>;
  analyze_s?: number;
  plans: PlanReport;
  retrieval: RetrievalBench;
  turns: TurnLoad[];
}

interface SizeResult {
  articles: number;
  ingest: IngestReport;
  storage: StorageReport;
  phases: PhaseResult[];
  memory: { before: MemorySnapshot; after_ingest: MemorySnapshot; after_load: MemorySnapshot; closed: MemorySnapshot };
}

const kbDir = values.kb ?? config.KNOWLEDGE_BASE_DIR;
const sample = await readFolder(kbDir);
if (sample.failed.length)
  fail(`the sample knowledge base has bad files: ${sample.failed.map((f) => f.file).join(', ')}`);
const cases = (await readRetrievalCases(values.cases)).slice(0, queryCount);
const questions = cases.map((c) => c.question);
// The articles' own example questions for the model's turns: the bot streams only a reply it is
// confident enough to send, and the eval's harder questions mostly are not (no first token to time).
const modelQuestions = sample.articles.flatMap((a) => a.article.questions.slice(0, 1));
const modes: ScanMode[] = [...overfetch.map((o) => ({ kind: 'hnsw' as const, overfetch: o })), { kind: 'exact' }];

let machine: Machine | undefined;
const results: SizeResult[] = [];
const benchStarted = performance.now();
for (const size of only.has('database') ? sizes : []) {
  const articles = syntheticKnowledgeBase(
    sample.articles.map((a) => a.article),
    size,
    seed,
  );
  const before = memory();
  const db = await throwawayDatabase(config.DATABASE_URL);
  try {
    machine ??= await describeMachine(db);
    const kb = knowledgeBase(db, new LocalHashEmbedder());
    progress(`[${size}] ingesting ${articles.length} articles into ${db.kind}`);
    const ingested = await ingest(db, kb, articles, {
      indexAfterLoad: values['index-after-load'],
      onProgress: (d, t) => {
        if (d % 500 === 0 || d === t) progress(`[${size}]   ${d}/${t}`);
      },
    });
    const afterIngest = memory();
    const stored = await storage(db, kb.embedder.model);
    const prepared = await prepareQueries(db, kb, cases);
    if (!(await intentModelInUse(kb, prepared[0] as (typeof prepared)[number])))
      throw new Error('the retriever does not see the intent model the bench trained (INTENT_DIMS changed?)');
    const phases: PhaseResult[] = [];
    // Turns go through the service as composed for the server: inbox, bot, outbox and delivery.
    const service = await compose(config, pino({ level: 'silent' }), buildService({ kb, print: () => {} }), {
      db,
      prefix: `sanad-bench-${process.pid}-${size}`,
    });
    const bot = service.inbox;
    for (const phase of ['as ingested', 'analyzed'] as const) {
      let analyzeSeconds: number | undefined;
      if (phase === 'analyzed') {
        const started = performance.now();
        await db.query('ANALYZE');
        analyzeSeconds = Math.round(performance.now() - started) / 1000;
      }
      const stats = await statistics(db);
      const plans = await explainVector(db, kb, prepared[0] as (typeof prepared)[number], modes);
      progress(
        `[${size}] ${phase}: retrieval, ${prepared.length} queries × (retriever, ${modes.length} vector modes, intent, text)`,
      );
      const retrieval = await benchRetrieval(db, kb, prepared, modes);
      const turns: TurnLoad[] = [];
      for (const concurrency of turnSeconds > 0 ? concurrencies : []) {
        progress(`[${size}] ${phase}: turns at concurrency ${concurrency} for ${turnSeconds} s`);
        turns.push(
          await turnLoad(bot, questions, {
            concurrency,
            seconds: turnSeconds,
            maxTurns,
            label: `s${size}-${phase.replace(' ', '-')}`,
          }),
        );
      }
      phases.push({
        phase,
        statistics: stats,
        ...(analyzeSeconds === undefined ? {} : { analyze_s: analyzeSeconds }),
        plans,
        retrieval,
        turns,
      });
    }
    const afterLoad = memory();
    await service.close();
    await db.close();
    results.push({
      articles: size,
      ingest: ingested,
      storage: stored,
      phases,
      memory: { before, after_ingest: afterIngest, after_load: afterLoad, closed: memory() },
    });
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

// ---- 1. the in-memory index at scale ---------------------------------------------------------
const scaleQueries = cases.map((c) => ({ question: c.question, lang: c.lang ?? detectLanguage(c.question).lang }));
const scale: ScaleResult[] = [];
for (const target of only.has('index') ? scaleChunks : []) {
  progress(`[index ${target} chunks] building, then ${scaleQueries.length} queries × (index, exact scan, retriever)`);
  scale.push(
    await scaleLevel(
      sample.articles.map((a) => a.article),
      target,
      scaleQueries,
      { seed, intentDims: INTENT_DIMS, onProgress: progress },
    ),
  );
}

// ---- 3. and 4. the service over HTTP, on each database ----------------------------------------
interface ServiceResult {
  backend: string;
  error?: string;
  ingest?: { articles: number; chunks: number; seconds: number; articles_per_s: number; chunks_per_s: number };
  index_build_ms?: number;
  http?: HttpTurns;
  /** The same turns through separate API processes on the database (Postgres only). */
  processes?: { count: number; http: HttpTurns }[];
  memory?: MemorySnapshot;
  model?: ModelShare;
  /** With --statements: each statement of a turn (its conversation's opening included), over the HTTP levels. */
  statements?: StatementTiming[];
}

async function serviceLevel(databaseUrl: string | undefined): Promise<ServiceResult> {
  // The service's own pool size (the test default of 4 would cap Postgres at 4 statements at once).
  const opened = await throwawayDatabase(databaseUrl, { max: 10 });
  const timer = values.statements ? statementTimer(opened) : undefined;
  const db: Db & { url?: string } = timer ? { ...timer.db, ...(opened.url ? { url: opened.url } : {}) } : opened;
  const backend = db.kind;
  machine ??= await describeMachine(db);
  const log = pino({ level: 'silent' });
  try {
    const service = await compose(config, log, buildService({ print: () => {} }), {
      db,
      prefix: `sanad-bench-http-${process.pid}`,
    });
    let ingest: ServiceResult['ingest'];
    let indexMs: number | undefined;
    let http: HttpTurns | undefined;
    let model: ModelShare | undefined;
    let processes: ServiceResult['processes'];
    let statements: StatementTiming[] | undefined;
    try {
      progress(`[service ${backend}] loading ${kbDir}`);
      const t = performance.now();
      const report = await service.kb.importFolder(kbDir);
      const seconds = (performance.now() - t) / 1000;
      const [{ n } = { n: 0 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM chunks');
      ingest = {
        articles: report.created.length,
        chunks: n,
        seconds: Math.round(seconds * 10) / 10,
        articles_per_s: Math.round((report.created.length / seconds) * 10) / 10,
        chunks_per_s: Math.round((n / seconds) * 10) / 10,
      };
      const b = performance.now();
      await service.kb.ready();
      indexMs = Math.round(performance.now() - b);
      const server = await serveLoopback(service.app() as never);
      try {
        const { key } = await createApiKey(db, { name: 'bench', role: 'agent' });
        progress(`[service ${backend}] turns over HTTP at ${httpConcurrency.join(', ')} for ${httpSeconds} s each`);
        timer?.record(true);
        http = await httpTurns(server.base, key, questions, {
          concurrencies: httpConcurrency,
          seconds: httpSeconds,
          maxTurns: 5000,
          label: `bench-${backend}`,
          ...(db.kind === 'postgres' ? { dbCpu: postgresCpu(db) } : {}),
        });
        timer?.record(false);
        statements = timer?.report(http.turns.reduce((n, t) => n + t.requests + t.errors, 0));
      } finally {
        await server.close();
      }
      // Starting API processes costs seconds each: the full run does it, --quick only when asked.
      if (db.url && (values.processes ?? !quick)) processes = await processLevels(db, db.url);
    } finally {
      await service.close();
    }
    const mem = memory();
    // The same database, a service whose answerer is the stubbed model.
    const stub = await modelStub({ totalMs: 400, firstTokenMs: 300 });
    try {
      const withModel = await compose(
        loadConfig({
          ...process.env,
          LOG_LEVEL: 'silent',
          EMBEDDER: 'local',
          OPENAI_API_KEY: 'bench',
          OPENAI_BASE_URL: stub.baseURL,
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        }),
        log,
        buildService({ print: () => {} }),
        { db, prefix: `sanad-bench-model-${process.pid}` },
      );
      try {
        await withModel.kb.ready();
        const server = await serveLoopback(withModel.app() as never);
        try {
          const { key } = await createApiKey(db, { name: 'bench-model', role: 'agent' });
          progress(`[service ${backend}] ${modelTurns} turns with the model stubbed at 400 ms`);
          model = await measureModelShare(server.base, key, modelQuestions, stub, { turns: modelTurns, modelMs: 400 });
        } finally {
          await server.close();
        }
      } finally {
        await withModel.close();
      }
    } finally {
      await stub.close();
    }
    return {
      backend,
      ...(ingest ? { ingest } : {}),
      ...(indexMs === undefined ? {} : { index_build_ms: indexMs }),
      ...(http ? { http } : {}),
      ...(processes ? { processes } : {}),
      memory: mem,
      ...(model ? { model } : {}),
      ...(statements ? { statements } : {}),
    };
  } catch (error) {
    return { backend, error: (error as Error).message };
  } finally {
    await db.close().catch(() => {});
  }
}

/**
 * One API process, then two, each a separate Node process on the same database and Redis, the
 * load split between them; this process only sends requests.
 */
async function processLevels(db: { query: Db['query'] }, url: string): Promise<{ count: number; http: HttpTurns }[]> {
  const { key } = await createApiKey(db, { name: 'bench-processes', role: 'agent' });
  const out: { count: number; http: HttpTurns }[] = [];
  for (const count of [1, 2]) {
    progress(`[service postgres] ${count} API process(es), turns at ${processConcurrency.join(', ')}`);
    const started: ApiProcess[] = [];
    try {
      for (let i = 0; i < count; i++)
        started.push(
          await apiProcess({
            DATABASE_URL: url,
            REDIS_URL: config.REDIS_URL ?? '',
            BENCH_PREFIX: `sanad-bench-proc-${process.pid}`,
          }),
        );
      const http = await httpTurns(
        started.map((p) => p.base),
        key,
        questions,
        {
          concurrencies: processConcurrency,
          seconds: httpSeconds,
          maxTurns: 20_000,
          label: `bench-proc${count}`,
          dbCpu: postgresCpu(db),
        },
      );
      out.push({ count, http });
    } finally {
      await Promise.all(started.map((p) => p.stop()));
    }
  }
  return out;
}

const services: ServiceResult[] = [];
if (only.has('service') && backends.has('pglite')) services.push(await serviceLevel(undefined));
if (only.has('service') && backends.has('postgres') && config.DATABASE_URL)
  services.push(await serviceLevel(config.DATABASE_URL));

// ---- 5. against a peer library on the development sets ---------------------------------------
const peerSets: [string, string, string][] = only.has('peer') ? [['sample', kbDir, values.cases]] : [];
if (!quick && only.has('peer'))
  for (const name of ['banking77-en', 'arbanking77-msa-pal'])
    if (existsSync(`${values.dev}/${name}/kb`))
      peerSets.push([name, `${values.dev}/${name}/kb`, `${values.dev}/${name}/cases.jsonl`]);
const peers: PeerResult[] = [];
for (const [name, dir, file] of peerSets) {
  progress(`[peer] ${name}`);
  peers.push(await comparePeer(dir, file, name));
}

if (!machine) {
  const db = await throwawayDatabase(only.has('database') || only.has('service') ? config.DATABASE_URL : undefined);
  machine = await describeMachine(db).finally(() => db.close());
}
const totalSeconds = Math.round((performance.now() - benchStarted) / 100) / 10;

// ---- report -------------------------------------------------------------------------------

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    `  ${r.map((c, i) => (i <= 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}
const pp = (l: { p50_ms: number; p95_ms: number }) => `${l.p50_ms} / ${l.p95_ms}`;
const m = machine as Machine;
const phaseRows = <T>(fn: (r: SizeResult, p: PhaseResult) => T[]) =>
  results.flatMap((r) => r.phases.flatMap((p) => fn(r, p)));
const statsLabel = (s: Record<string, number>) =>
  Object.values(s).every((n) => n >= 0)
    ? 'yes'
    : `no (${Object.entries(s)
        .filter(([, n]) => n < 0)
        .map(([t]) => t)
        .join(', ')})`;

const out: string[] = [];
const argv = process.argv.slice(2).join(' ');
out.push(`Sanad benchmark: npm run bench${argv ? ` -- ${argv}` : ''}  (${new Date().toISOString()})`);
out.push(`machine   ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB RAM, node ${m.node}, ${m.platform}`);
out.push(`database  ${m.backend}: ${m.database}; pgvector ${m.pgvector}; hnsw.ef_search ${m.hnsw_ef_search}`);
out.push(
  `setup     embedder ${new LocalHashEmbedder().model} (HNSW m=16, ef_construction=64, ${values['index-after-load'] ? 'built after the load' : 'maintained row by row as the service does'}); intent model local:hash-v2@8192 (exact scan)`,
);
out.push(
  `          knowledge bases built from the ${sample.articles.length} articles of ${kbDir}, seed ${seed}; ${cases.length} queries from ${values.cases}`,
);
if (results.length) {
  out.push('');
  out.push('Ingestion (per article: save, chunk, embed, index; then the IDF and the intent model once)');
  out.push(
    table(
      [
        'articles',
        'chunks',
        'ingest s',
        'articles/s',
        'chunks/s',
        ...(values['index-after-load'] ? ['HNSW build s'] : []),
        'IDF s',
        'intent model s',
        'DB MB',
        'HNSW MB',
        'intent MB',
      ],
      results.map((r) => [
        r.articles,
        r.ingest.chunks,
        r.ingest.ingest_s,
        r.ingest.articles_per_s,
        r.ingest.chunks_per_s,
        ...(values['index-after-load'] ? [r.ingest.hnsw_build_s ?? 0] : []),
        r.ingest.idf_s,
        r.ingest.intent_s,
        r.storage.database_mb,
        r.storage.hnsw_mb,
        r.storage.intents_mb,
      ]),
    ),
  );
  out.push('');
  out.push(
    `Retrieval latency, ms p50 / p95 over ${cases.length} queries (language filter on, LIMIT 60 chunks, as a turn runs it)`,
  );
  out.push(
    table(
      [
        'articles',
        'statistics',
        'retriever (index)',
        'retriever (SQL)',
        ...(results[0]?.phases[0]?.retrieval.vector ?? []).map((v) => `vector ${v.mode}`),
        'intent scan',
        'full-text',
      ],
      phaseRows((r, p) => [
        [
          r.articles,
          p.phase,
          pp(p.retrieval.retrieve),
          pp(p.retrieval.retrieve_sql),
          ...p.retrieval.vector.map((v) => pp(v.latency)),
          pp(p.retrieval.intent),
          pp(p.retrieval.text),
        ],
      ]),
    ),
  );
  out.push('  retriever: the whole KnowledgeBase retriever (vector + full-text + intent + unknown terms + passages)');
  out.push(
    '  vector: the vector search alone (vector-search.ts): hnsw xN reads 60×N nearest embeddings from the index, then filters (exact query when fewer than 60 pass); exact: the exact query',
  );
  out.push('');
  out.push('HNSW against the exact scan, same queries, same run');
  out.push(
    table(
      ['articles', 'statistics', 'mode', 'plan uses HNSW', 'recall@10', 'recall@60', 'rows of 60', 'exact fallback'],
      phaseRows((r, p) =>
        p.retrieval.vector.map((v) => [
          r.articles,
          p.phase,
          v.mode,
          p.plans.vector.find((x) => x.mode === v.mode)?.uses_hnsw ? 'yes' : 'no',
          v.recall_at_10,
          v.recall_at_candidates,
          v.rows,
          v.fallback,
        ]),
      ),
    ),
  );
  out.push('');
  out.push('Plans of the vector query (EXPLAIN, first query)');
  for (const r of results)
    for (const p of r.phases) {
      out.push(
        `  ${r.articles} articles, ${p.phase} (statistics: ${statsLabel(p.statistics)}${p.analyze_s === undefined ? '' : `, ANALYZE ${p.analyze_s} s`}):`,
      );
      for (const v of p.plans.vector) out.push(`    ${v.mode}: ${v.plan.map((l) => l.trim()).join(' | ')}`);
      out.push(
        `    without the language filter: ${p.plans.unfiltered_uses_hnsw ? 'HNSW' : 'no HNSW'}; as a generic (prepared) plan: ${p.plans.generic_uses_hnsw ? 'HNSW' : 'no HNSW'}`,
      );
    }
  if (turnSeconds > 0) {
    out.push('');
    out.push(
      `Turns through inbox.receive (store, decide with the local answerer, apply with its events), ${turnSeconds} s per level, a new conversation per turn`,
    );
    out.push(
      table(
        ['articles', 'statistics', 'concurrency', 'turns', 'turns/s', 'p50 ms', 'p95 ms', 'errors', 'outcomes'],
        phaseRows((r, p) =>
          p.turns.map((t) => [
            r.articles,
            p.phase,
            t.concurrency,
            t.turns,
            t.turns_per_s,
            t.latency.p50_ms,
            t.latency.p95_ms,
            t.errors,
            Object.entries(t.outcomes)
              .sort((a, b) => b[1] - a[1])
              .map(([k, n]) => `${k} ${n}`)
              .join(', '),
          ]),
        ),
      ),
    );
    for (const r of results)
      for (const p of r.phases)
        for (const t of p.turns)
          if (t.first_error) out.push(`  ${r.articles}, ${p.phase}, ${t.concurrency}: first error: ${t.first_error}`);
  }
  out.push('');
  out.push(
    `Memory of this process, MB rss / heap used / external, after a full GC (${m.backend === 'postgres' ? 'the Postgres server is a separate process' : 'PGlite runs in this process: its WebAssembly memory is in rss and external'})`,
  );
  const mem = (s: MemorySnapshot) => `${s.rss_mb} / ${s.heap_used_mb} / ${s.external_mb}`;
  out.push(
    table(
      ['articles', 'before', 'after ingestion', 'after queries and turns', 'after close'],
      results.map((r) => [
        r.articles,
        mem(r.memory.before),
        mem(r.memory.after_ingest),
        mem(r.memory.after_load),
        mem(r.memory.closed),
      ]),
    ),
  );
}
if (scale.length) {
  out.push('');
  out.push(
    `Retrieval from the in-memory index against an exact scan, ms p50 / p95 over ${cases.length} queries (language filter, 60 chunks; synthetic knowledge bases, no database)`,
  );
  out.push(
    table(
      ['chunks', 'articles', 'build s', 'index', 'exact scan', 'speed-up p50', 'recall@10', 'retriever', 'rss MB'],
      scale.map((r) => [
        r.chunks,
        r.articles,
        r.build_s,
        pp(r.index),
        pp(r.exact),
        `${r.speedup_p50}x`,
        r.recall_at_10,
        pp(r.retrieve),
        r.memory.rss_mb,
      ]),
    ),
  );
  out.push(
    "  index: nearest chunks by lexical-vector postings; exact scan: every chunk's cosine distance, in this process (pgvector's exact query is in the database table above); retriever: the whole retrieval a turn runs",
  );
}
for (const sv of services) {
  out.push('');
  if (sv.error) {
    out.push(`Service on ${sv.backend}: not measured: ${sv.error}`);
    continue;
  }
  const ing = sv.ingest;
  out.push(
    `Service on ${sv.backend}: ${ing?.articles} articles (${ing?.chunks} chunks) of ${kbDir} loaded in ${ing?.seconds} s (${ing?.articles_per_s} articles/s, ${ing?.chunks_per_s} chunks/s), in-memory index built in ${sv.index_build_ms} ms; rss ${sv.memory?.rss_mb} MB after the turns`,
  );
  out.push(
    `Turns through POST /v1/conversations/{id}/messages on loopback, ${httpSeconds} s per level, a new conversation per turn; the trivial route beside. CPU ms/turn: this process's CPU per turn (server and client, the conversation's opening included)${sv.backend === 'postgres' ? " + the database server's" : ' (PGlite runs in it)'}`,
  );
  out.push(
    table(
      [
        'concurrency',
        'turns',
        'turns/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'errors',
        'CPU ms/turn',
        'trivial req/s',
        'trivial p50 / p99',
      ],
      (sv.http?.turns ?? []).map((t, i) => {
        const tr = sv.http?.trivial[i];
        return [
          t.concurrency,
          t.requests,
          t.per_s,
          t.p50_ms,
          t.p95_ms,
          t.p99_ms,
          t.errors,
          t.db_cpu_ms === undefined ? `${t.cpu_ms}` : `${t.cpu_ms} + db ${t.db_cpu_ms}`,
          tr?.per_s ?? '',
          tr ? `${tr.p50_ms} / ${tr.p99_ms}` : '',
        ];
      }),
    ),
  );
  for (const t of sv.http?.turns ?? [])
    if (t.first_error) out.push(`  concurrency ${t.concurrency}: first error: ${t.first_error}`);
  if (sv.statements?.length) {
    const total = sv.statements.reduce((sum, st) => [sum[0] + st.per_turn, sum[1] + st.ms_per_turn], [0, 0]);
    out.push(
      `Statements of a turn (its conversation's opening included), over the levels above: ${total[0].toFixed(1)} a turn, ${total[1].toFixed(2)} ms of calls (--statements; read at --http-concurrency 1, since with turns at once a call's time includes its wait)`,
    );
    out.push(
      table(
        ['ms/turn', 'per turn', 'statement'],
        sv.statements.slice(0, 15).map((st) => [st.ms_per_turn, st.per_turn, st.statement]),
      ),
    );
  }
  if (sv.processes?.length) {
    out.push(
      'The same turns through separate API processes on this database (this process only sends them; Redis for jobs and the live bus)',
    );
    out.push(
      table(
        [
          'processes',
          'concurrency',
          'turns',
          'turns/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'errors',
          'db CPU ms/turn',
          'trivial req/s',
        ],
        sv.processes.flatMap((p) =>
          p.http.turns.map((t, i) => [
            p.count,
            t.concurrency,
            t.requests,
            t.per_s,
            t.p50_ms,
            t.p95_ms,
            t.p99_ms,
            t.errors,
            t.db_cpu_ms ?? '-',
            p.http.trivial[i]?.per_s ?? '',
          ]),
        ),
      ),
    );
    for (const p of sv.processes)
      for (const t of p.http.turns)
        if (t.first_error) out.push(`  ${p.count} processes, ${t.concurrency}: first error: ${t.first_error}`);
  }
  const mdl = sv.model;
  if (mdl)
    out.push(
      `Model stubbed at ${mdl.model_ms} ms (its first token, a whole sentence, at 300 ms): ${mdl.turns} turns one at a time on the articles' example questions after 3 uncounted (JIT warm-up), ${mdl.model_calls} model calls, turn p50 ${mdl.turn_p50_ms} ms; our share ${(mdl.own_share * 100).toFixed(1)}% (p50 ${mdl.own_p50_ms} ms of our own); first streamed token at the client ${mdl.first_token_p50_ms ?? '-'} / ${mdl.first_token_p95_ms ?? '-'} ms p50 / p95 after the model sent it (${mdl.streamed_turns} streamed turns)`,
    );
}
if (peers.length) {
  out.push('');
  out.push(
    'Our retrieval against a peer library, same articles and questions (in-scope cases; one question at a time, ms)',
  );
  out.push(
    table(
      ['set', 'cases', 'articles', 'ours top-1', 'ours p50 / p95', 'peer top-1', 'peer p50 / p95'],
      peers.map((r) => [
        r.set,
        r.cases,
        r.articles,
        r.ours.top1,
        pp({ p50_ms: r.ours.p50_ms, p95_ms: r.ours.p95_ms }),
        r.peer ? r.peer.top1 : '-',
        r.peer ? pp({ p50_ms: r.peer.p50_ms, p95_ms: r.peer.p95_ms }) : (r.peer_missing ?? '-'),
      ]),
    ),
  );
}
out.push('');
out.push(`total ${totalSeconds} s`);
console.log(out.join('\n'));
if (values.json) {
  console.log(
    JSON.stringify({
      machine,
      options: {
        quick,
        sizes,
        chunks: scaleChunks,
        http_concurrency: httpConcurrency,
        http_seconds: httpSeconds,
        model_turns: modelTurns,
        queries: cases.length,
        turn_seconds: turnSeconds,
        concurrency: concurrencies,
        overfetch,
        index_after_load: values['index-after-load'],
        seed,
        kb: kbDir,
        cases: values.cases,
      },
      results,
      scale,
      services,
      peers,
      total_s: totalSeconds,
    }),
  );
}
