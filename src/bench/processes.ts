import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ApiProcess {
  base: string;
  stop(): Promise<void>;
}

/**
 * Starts `src/bench/api-process.ts` in a child process with `env` added (the same database and
 * Redis as the bench, the knowledge base already loaded): resolves once it serves.
 */
export async function apiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const script = fileURLToPath(new URL('./api-process.ts', import.meta.url));
  // The bench runs under tsx: the child gets the same loader flags.
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, script], {
    env: { ...process.env, ...env, LOAD_SAMPLE_KB: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d) => {
    errors = (errors + d).slice(-2000);
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { base: string }).base);
    });
    child.once('exit', (code) => reject(new Error(`the API process exited (${code}): ${errors}`)));
  });
  return {
    base,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
