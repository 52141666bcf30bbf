// The docker CLI over execa: one place that runs `docker`, maps "engine not reachable"
// to an actionable error, and never passes secrets in argv (stdin only).
import { OssError } from '../errors';

export interface DockerResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface DockerRunOptions {
  /** bytes written to the command's stdin */
  input?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** runs `docker ARGS`; never throws for a non-zero exit (callers decide) */
export type DockerRunner = (args: string[], opts?: DockerRunOptions) => Promise<DockerResult>;

export const runDocker: DockerRunner = async (args, opts = {}) => {
  // loaded on first use: `oss verify --static` imports every check's module but runs no docker
  const { execa } = await import('execa');
  const r = await execa('docker', args, {
    reject: false,
    input: opts.input ?? '',
    timeout: opts.timeoutMs,
    env: opts.env,
    cwd: opts.cwd,
    stripFinalNewline: false,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.failed && r.exitCode === undefined) {
    const why = r.timedOut ? `timed out after ${opts.timeoutMs} ms` : (r.shortMessage ?? 'could not start');
    return { exitCode: 127, stdout: String(r.stdout ?? ''), stderr: `docker ${args[0] ?? ''}: ${why}\n${String(r.stderr ?? '')}` };
  }
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
};

export interface EngineStatus {
  ok: boolean;
  /** server version when ok, the reason otherwise */
  detail: string;
}

/** is a Docker engine answering? (`docker version` asks the server too) */
export async function engineStatus(run: DockerRunner = runDocker): Promise<EngineStatus> {
  const r = await run(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 });
  if (r.exitCode === 0 && r.stdout.trim()) return { ok: true, detail: r.stdout.trim() };
  const why = r.exitCode === 127 && /ENOENT|not found|could not start/i.test(r.stderr)
    ? 'the docker CLI is not installed'
    : firstLine(r.stderr) || 'the Docker engine does not answer';
  return { ok: false, detail: why };
}

export async function requireEngine(run: DockerRunner = runDocker): Promise<string> {
  const s = await engineStatus(run);
  if (s.ok) return s.detail;
  throw new OssError(`cannot reach a Docker engine: ${s.detail}`, {
    hint: 'install and start Docker with Compose v2 (as root: bash scripts/setup-docker.sh), then run the command again',
  });
}

export function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}

/** last N non-empty lines of a log */
export function tailLines(s: string, n: number): string[] {
  return s.split('\n').filter((l) => l.trim() !== '').slice(-n);
}
