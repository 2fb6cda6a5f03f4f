/**
 * One API process for the bench's scaling run: the service as the server composes it, on the
 * database and Redis in its environment, served on a loopback port it prints as one JSON line.
 * Stopped with SIGTERM. Run by `apiProcess()`, not by hand.
 */
import pino from 'pino';
import { buildService } from '../modules.js';
import { compose } from '../platform/compose.js';
import { benchConfig } from './bench-config.js';
import { serveLoopback } from './http-turns.js';

const config = benchConfig();
const service = await compose(config, pino({ level: 'silent' }), buildService({ print: () => {} }), {
  prefix: process.env.BENCH_PREFIX,
});
await service.start();
await service.kb.ready();
const server = await serveLoopback(service.app() as never);
process.stdout.write(`${JSON.stringify({ base: server.base })}\n`);
process.once('SIGTERM', () => {
  void (async () => {
    await server.close();
    await service.close();
    process.exit(0);
  })();
});
