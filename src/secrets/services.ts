// Restarting the consumers of a secret and waiting for them to come back healthy.
// `docker compose restart` re-creates each file-secret bind mount at start, so the
// container sees the new file (a running container keeps the old inode until then).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { OssError, ExitCode } from '../errors';
import { COMPOSE_FILE, restartOrder, secretByName, services, type SecretName, type ServiceKey } from '../stack/model';

export interface ServiceController {
  restart(svc: ServiceKey): Promise<void>;
  /** resolves once the container is running and (if it has a healthcheck) healthy */
  waitHealthy(svc: ServiceKey, timeoutMs: number): Promise<void>;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** run a command with no shell; secret values never go in `args` */
export function runCommand(file: string, args: string[], opts: { input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 127) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr || (err && !stdout ? err.message : '')) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** consumers of the given secrets, in restart order */
export function consumersOf(names: readonly SecretName[]): ServiceKey[] {
  const wanted = new Set<ServiceKey>();
  for (const n of names) for (const c of secretByName(n)?.consumers ?? []) wanted.add(c);
  return restartOrder.filter((k) => wanted.has(k));
}

/** the command an operator runs by hand after --no-restart */
export function restartHint(svcs: readonly ServiceKey[]): string {
  return `docker compose restart ${svcs.join(' ')}`;
}

export function dockerController(dir: string, docker = 'docker'): ServiceController {
  const compose = ['compose', '--project-directory', dir, '-f', join(dir, COMPOSE_FILE)];
  return {
    async restart(svc) {
      const r = await runCommand(docker, [...compose, 'restart', svc], { timeoutMs: 180_000 });
      if (r.code !== 0) {
        throw new OssError(`\`docker compose restart ${svc}\` failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`, {
          hint: `is the stack up? check \`docker compose ps\` in ${dir}; then run the same oss command again to finish (with --no-restart if the stack is meant to be down)`,
          exitCode: ExitCode.failed,
        });
      }
    },
    async waitHealthy(svc, timeoutMs) {
      const name = services[svc].containerName;
      const deadline = Date.now() + timeoutMs;
      let last = 'unknown';
      for (;;) {
        const r = await runCommand(docker, ['inspect', '--format', '{{json .State}}', name], { timeoutMs: 30_000 });
        if (r.code === 0) {
          try {
            const st = JSON.parse(r.stdout) as { Status?: string; Health?: { Status?: string } };
            last = st.Health?.Status ?? st.Status ?? 'unknown';
            if (st.Status === 'running' && (!st.Health || st.Health.Status === 'healthy')) return;
          } catch {
            last = 'unreadable state';
          }
        } else last = r.stderr.trim() || `docker inspect exit ${r.code}`;
        if (Date.now() > deadline) {
          throw new OssError(`${name} did not come back healthy within ${Math.round(timeoutMs / 1000)} s (last state: ${last})`, {
            hint: `see \`docker logs ${name}\`; the secret files are already rotated, run the command again once it is fixed`,
            exitCode: ExitCode.failed,
          });
        }
        await new Promise((r2) => setTimeout(r2, 1000));
      }
    },
  };
}

/** how long to wait for a restarted service: its health start period plus a margin */
export function healthTimeoutMs(svc: ServiceKey): number {
  return (services[svc].healthStartPeriodSec + 60) * 1000;
}
