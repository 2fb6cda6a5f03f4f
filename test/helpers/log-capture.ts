import { Writable } from 'node:stream';
import { createLogger } from '../../src/platform/log.js';

/** The service's own logger (redaction and all) writing into a string the test can search. */
export function capturedLogger(level = 'debug') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger(level, stream as never), text: () => lines.join('') };
}
