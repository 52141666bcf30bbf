// oss up: build and start the stack, wait for every healthcheck, report.
import { OssError } from '../errors';
import { defaultStackDir } from '../render/init-stack';
import { stackUp, StackFailure } from '../docker/stack';
import { progress } from '../ui/output';

interface UpOpts {
  dir?: string;
  timeout?: string;
  build?: boolean;
  json?: boolean;
}

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined) return 600;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 10 || Number(raw) > 7200) {
    throw new OssError(`--timeout ${JSON.stringify(raw)} is not a number of seconds from 10 to 7200`, { hint: 'e.g. --timeout 600' });
  }
  return Number(raw);
}

export async function run(opts: UpOpts): Promise<number> {
  const timeoutSec = parseTimeout(opts.timeout);
  const dir = opts.dir ?? defaultStackDir();
  const p = await progress();
  try {
    const r = await stackUp({
      dir,
      timeoutSec,
      build: opts.build !== false,
      events: { step: (t) => p.start(t), done: (t) => p.succeed(t), info: (t) => p.info(t) },
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ schemaVersion: 1, dir, ok: true, engine: r.engine, buildMs: r.buildMs, startMs: r.startMs, services: r.services }, null, 2)}\n`);
    } else {
      process.stdout.write(`stack is up: ${r.services.length} services healthy in ${(r.startMs / 1000).toFixed(1)} s (engine ${r.engine}); next: oss harden --dir ${dir} && oss verify --dir ${dir}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof StackFailure) {
      p.fail(`${err.service}: failed`);
      if (opts.json) process.stdout.write(`${JSON.stringify({ schemaVersion: 1, dir, ok: false, service: err.service, error: err.message.split('\n')[0], logs: err.logs }, null, 2)}\n`);
    }
    throw err;
  }
}
