// Runs a route's worker as a local argv: own process group, input on stdin, never a
// shell, never the input in argv. On timeout (and after the worker exits) the whole
// group is killed, so nothing it started outlives the request.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { OssError } from '../errors';
import { routes, type RouteName } from '../stack/model';
import { CappedBuffer, type ExecRequest, type ExecResult, type Executor } from './executor';

export type CommandMap = Record<RouteName, string[]>;

/** parse a --commands file: {"run-codex": ["/path/stub", "arg"], ...} for every route */
export function parseCommandMap(text: string, source: string): CommandMap {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new OssError(`${source} is not valid JSON: ${(err as Error).message}`, {
      hint: 'write a JSON object mapping each route name to an argv array',
    });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new OssError(`${source} must be a JSON object mapping route names to argv arrays`, {
      hint: `e.g. {${routes.map((r) => `"${r.name}": ["/usr/bin/true"]`).join(', ')}}`,
    });
  }
  const obj = raw as Record<string, unknown>;
  const names = routes.map((r) => r.name);
  const unknown = Object.keys(obj).filter((k) => !(names as string[]).includes(k));
  if (unknown.length > 0) {
    throw new OssError(`${source}: unknown route(s) ${unknown.join(', ')}`, { hint: `routes are ${names.join(', ')}` });
  }
  const map = {} as CommandMap;
  for (const name of names) {
    const argv = obj[name];
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string' && a.length > 0)) {
      throw new OssError(`${source}: "${name}" must be a non-empty array of non-empty strings`, {
        hint: `map every route (${names.join(', ')}) to the argv of a local program`,
      });
    }
    map[name] = argv as string[];
  }
  return map;
}

export function readCommandMap(file: string): CommandMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new OssError(`cannot read commands file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: 'pass --commands a readable JSON file',
    });
  }
  return parseCommandMap(text, file);
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone
  }
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? constants.signals[signal] : undefined;
  return 128 + (n ?? 0);
}

/** workers see a minimal environment: nothing of the bridge's own */
function workerEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' };
}

export function localExecutor(commands: CommandMap): Executor {
  const running = new Set<ChildProcess>();

  function run(req: ExecRequest): Promise<ExecResult> {
    const argv = commands[req.route.name];
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), {
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: workerEnv(),
      });
      running.add(child);
      const out = new CappedBuffer(req.maxOutputBytes);
      const err = new CappedBuffer(req.maxOutputBytes);
      let timedOut = false;
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

      // a descendant that left the group could hold the pipes open: stop waiting for it
      const closePipesSoon = () =>
        setTimeout(() => {
          child.stdout!.destroy();
          child.stderr!.destroy();
        }, 1000).unref();
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
        closePipesSoon();
      }, req.timeoutMs);

      child.stdout!.on('data', (c: Buffer) => out.push(c));
      child.stderr!.on('data', (c: Buffer) => err.push(c));
      child.stdin!.on('error', () => {
        // EPIPE: the worker did not read its input; its exit status says the rest
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        running.delete(child);
        reject(e);
      });
      child.on('exit', (code, signal) => {
        exit = { code, signal };
        // anything the worker left behind in its group dies with it
        killGroup(child.pid);
        closePipesSoon();
      });
      child.on('close', () => {
        clearTimeout(timer);
        running.delete(child);
        if (timedOut) return resolve({ kind: 'timeout' });
        resolve({
          kind: 'exited',
          exitCode: exitCodeOf(exit?.code ?? null, exit?.signal ?? null),
          stdout: out.value(),
          stderr: err.value(),
          stdoutTruncated: out.truncated,
          stderrTruncated: err.truncated,
        });
      });
      child.stdin!.end(req.input);
    });
  }

  return {
    kind: 'local',
    run,
    killAll() {
      for (const child of running) killGroup(child.pid);
    },
  };
}
