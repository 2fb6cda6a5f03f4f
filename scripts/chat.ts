/**
 * npm run chat — talk to the bot in a terminal with the current configuration (models,
 * thresholds). On the embedded default it opens the service's own data folder when the service
 * is not running (loading what the folder sync would), else a throw-away copy of the knowledge
 * base from a snapshot cached beside it (built once per knowledge base and code version); with
 * DATABASE_URL it uses that database. Each reply shows its confidence and citations; a hand-off
 * shows its reason.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import pino from 'pino';
import { botFor } from '../src/bot/bot.js';
import { createEmbedder } from '../src/knowledge/embedders.js';
import { buildService } from '../src/modules.js';
import { compose } from '../src/platform/compose.js';
import { loadConfig } from '../src/platform/config.js';
import { claimDataDir, DataDirInUseError } from '../src/platform/db/data-dir-lock.js';
import type { Db } from '../src/platform/db/db.js';
import { loadMigrations, migrate } from '../src/platform/db/migrate.js';
import { openDatabase } from '../src/platform/db/open.js';
import { openPglite } from '../src/platform/db/pglite.js';
import { openPostgres } from '../src/platform/db/postgres.js';
import { Problem } from '../src/platform/http/problem.js';
import { projectPath } from '../src/platform/paths.js';

const started = performance.now();
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const bold = (s: string) => `\x1b[1m${s}\x1b[0m`;

/** Files whose content decides what a loaded knowledge base looks like in the database. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Names the snapshot: the folder's articles, the migrations, the embedder and the indexing code. */
async function snapshotKey(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(createEmbedder(config).model);
  for (const m of await loadMigrations()) hash.update(m.version).update(m.sql);
  // The TypeScript sources, whether this runs through tsx or compiled in build/.
  const code = projectPath('src');
  for (const f of [
    ...filesUnder(config.KNOWLEDGE_BASE_DIR),
    ...filesUnder(join(code, 'knowledge')),
    ...filesUnder(join(code, 'text')),
  ]) {
    hash.update(f).update(readFileSync(f));
  }
  return hash.digest('hex').slice(0, 24);
}

let release = () => {};
interface Opened {
  db: Db;
  where: string;
  /** Run the folder sync (the service's folder, or a fresh copy). */
  sync: boolean;
  /** Where to cache the loaded copy. */
  snapshot?: string;
}

async function openChatDatabase(): Promise<Opened> {
  if (config.DATABASE_URL) {
    const db = await openPostgres(config.DATABASE_URL);
    await migrate(db);
    return { db, where: 'the configured Postgres', sync: false };
  }
  try {
    release = claimDataDir(config.DATA_DIR);
    return { db: await openDatabase(config), where: `the service's data folder ${config.DATA_DIR}`, sync: true };
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
  }
  // The service owns the folder: a copy of the knowledge base in memory, from the cached snapshot.
  const cacheDir = join(config.DATA_DIR, 'cache');
  const file = join(cacheDir, `chat-${await snapshotKey()}.tar.gz`);
  if (existsSync(file)) {
    const db = await openPglite(undefined, { loadDataDir: new Blob([readFileSync(file)]) });
    return { db, where: 'a copy of the knowledge base (the service owns the data folder)', sync: false };
  }
  console.log(dim('the service owns the data folder: building a copy of the knowledge base once …'));
  const db = await openPglite();
  await migrate(db);
  return { db, where: 'a fresh copy of the knowledge base (cached for next time)', sync: true, snapshot: file };
}

async function saveSnapshot(db: Db, file: string) {
  if (!db.dump) return;
  mkdirSync(join(file, '..'), { recursive: true });
  for (const old of readdirSync(join(file, '..'))) {
    if (old.startsWith('chat-') && old.endsWith('.tar.gz')) rmSync(join(file, '..', old), { force: true });
  }
  const temp = `${file}.${process.pid}`;
  writeFileSync(temp, Buffer.from(await (await db.dump()).arrayBuffer()));
  renameSync(temp, file);
}

const opened = await openChatDatabase();
const { db } = opened;
const service = await compose(
  config,
  pino({ level: 'silent' }),
  buildService({ print: (text) => process.stdout.write(dim(text)) }),
  { db, prefix: `sanad-chat-${process.pid}` },
);
const { kb, inbox } = service;
if (opened.sync) await service.knowledgeFolder.start();
if (opened.snapshot) await saveSnapshot(db, opened.snapshot);
const articles = (
  await db.query<{ n: number }>("SELECT count(*)::int AS n FROM articles WHERE status = 'published'")
)[0]?.n;
console.log(
  dim(
    `${articles} published articles from ${opened.where}; ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  ),
);
const bot = botFor({ kb, config, log: pino({ level: 'silent' }) });
console.log(
  dim(
    `answerer: ${bot.llm ? `LLM (${config.CHAT_MODEL}) with local fallback` : 'local (extractive)'}; sentiment: ${bot.sentiment.name}; threshold ${config.ANSWER_THRESHOLD}`,
  ),
);
console.log(dim('Write in Arabic or English. /new starts a new conversation, /quit leaves.\n'));

const openOne = () => inbox.open({ channel: 'api', externalId: `cli-${process.pid}` });
let conversation = await openOne();
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
rl.setPrompt('you › ');
rl.prompt();
for await (const line of rl) {
  const text = line.trim();
  if (text === '/quit' || text === '/exit') break;
  if (text === '/new') {
    conversation = await openOne();
    console.log(dim('new conversation'));
  } else if (text) {
    try {
      const outcome = await inbox.receive({ conversationId: conversation.id, text });
      const turn = { ...outcome, sentiment: outcome.decision?.sentiment };
      const mood = turn.sentiment ? `sentiment ${turn.sentiment.label} ${turn.sentiment.score.toFixed(2)}` : '';
      if (turn.silent)
        console.log(dim(`(a person has this conversation; the bot stays silent — /new to start again) ${mood}`));
      else if (turn.reply) {
        console.log(`${bold('sanad ›')} ${turn.reply.content}`);
        const confidence =
          turn.reply.confidence === null ? '' : `confidence ${Number(turn.reply.confidence).toFixed(2)}`;
        const cites = (turn.reply.citations ?? []).map((c) => `${c.articleId} (${c.title})`).join(', ');
        console.log(dim(`  ${[confidence, cites && `cites ${cites}`, mood].filter(Boolean).join(' · ')}`));
        if (turn.handoff) {
          console.log(
            dim(`  hand-off: ${turn.handoff.reason} → team ${turn.handoff.team}, priority ${turn.handoff.priority}`),
          );
          const candidates = turn.handoff.candidates
            .slice(0, 3)
            .map((c) => `${c.articleId} ${c.score}`)
            .join(', ');
          if (candidates) console.log(dim(`  candidates: ${candidates}`));
        }
      }
    } catch (error) {
      if (error instanceof Problem) console.log(dim(`  ${error.title}: ${error.detail}`));
      else throw error;
    }
  }
  rl.prompt();
}
rl.close();
await service.close();
await db.close();
release();
