// Terminal conventions: colour and spinners only on a TTY, never with NO_COLOR/CI/TERM=dumb.
import type { Writable } from 'node:stream';
import { Chalk } from 'chalk';

type Stream = Writable & { isTTY?: boolean; columns?: number };

export function colorEnabled(stream: Stream = process.stdout, env = process.env): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** ora hangs on a TTY reporting 0 columns (recipes/single-binary), so decide explicitly */
export function spinnerEnabled(stream: Stream = process.stderr, env = process.env): boolean {
  return Boolean(stream.isTTY) && (stream.columns ?? 0) > 0 && env.TERM !== 'dumb' && !('CI' in env) && colorEnabled(stream, env);
}

export interface Painter {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

/** chalk at the level our own decision allows (chalk alone would look only at stdout) */
export function painter(enabled: boolean): Painter {
  return new Chalk({ level: enabled ? 1 : 0 });
}

export interface Progress {
  start(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  info(text: string): void;
}

/** progress lines: an ora spinner on a TTY, plain lines on stderr otherwise */
export async function progress(stream: Stream = process.stderr): Promise<Progress> {
  if (!spinnerEnabled(stream)) {
    const line = (s: string) => stream.write(`${s}\n`);
    return { start: (t) => line(`- ${t}`), succeed: (t) => line(`ok ${t}`), fail: (t) => line(`FAIL ${t}`), info: (t) => line(`  ${t}`) };
  }
  const { default: ora } = await import('ora');
  const spinner = ora({ stream, isEnabled: true });
  return {
    start: (t) => spinner.start(t),
    succeed: (t) => spinner.succeed(t),
    fail: (t) => spinner.fail(t),
    info: (t) => spinner.info(t),
  };
}
