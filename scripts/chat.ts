/**
 * npm run chat — talk to the bot in a terminal with the current configuration (models,
 * thresholds). On the embedded default it loads KNOWLEDGE_BASE_DIR into a throw-away
 * database (the server may own the data folder); with DATABASE_URL it uses that database.
 * Each reply shows its confidence and citations; a hand-off shows its reason.
 */
import { createInterface } from 'node:readline/promises';
import pino from 'pino';
import { botFor } from '../src/bot/bot.js';
import { buildService } from '../src/modules.js';
import { compose } from '../src/platform/compose.js';
import { loadConfig } from '../src/platform/config.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPostgres } from '../src/platform/db/postgres.js';
import { throwawayDatabase } from '../src/platform/db/throwaway.js';
import { Problem } from '../src/platform/http/problem.js';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const bold = (s: string) => `\x1b[1m${s}\x1b[0m`;

const db = config.DATABASE_URL ? await openPostgres(config.DATABASE_URL) : await throwawayDatabase();
await migrate(db);
const service = await compose(config, pino({ level: 'silent' }), buildService({ print: () => {} }), {
  db,
  prefix: `sanad-chat-${process.pid}`,
});
const { kb, inbox } = service;
if (!config.DATABASE_URL) {
  const report = await kb.importFolder(config.KNOWLEDGE_BASE_DIR);
  console.log(
    dim(`loaded ${report.created.length} articles from ${config.KNOWLEDGE_BASE_DIR} into a throw-away database`),
  );
}
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
