/**
 * A process that claims data folders on command, for the lock race test: reads lines from stdin,
 * `claim <dir> <epoch ms>` spins until that moment (so racers start together) and answers `won`
 * or `lost <reason>`; `release` lets go of the folder it won and answers `released`.
 */
import { createInterface } from 'node:readline';
import { claimDataDir } from '../../src/platform/db/data-dir-lock.js';

let release: (() => void) | undefined;
for await (const line of createInterface({ input: process.stdin })) {
  const [command, dir, at] = line.split(' ');
  if (command === 'claim' && dir) {
    while (Date.now() < Number(at)) {
      // spin: a timer would add its own jitter
    }
    try {
      release = claimDataDir(dir);
      process.stdout.write('won\n');
    } catch (error) {
      process.stdout.write(`lost ${(error as Error).constructor.name}\n`);
    }
  } else if (command === 'release') {
    release?.();
    release = undefined;
    process.stdout.write('released\n');
  }
}
