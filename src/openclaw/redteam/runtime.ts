// Where the red-team's two moving parts run: the mock model and the agent turn. Both
// must sit next to the OpenClaw under test (the turn calls the model on 127.0.0.1), so:
//   local      mock in this process, `openclaw agent --local` on PATH
//   container  mock and turn inside the gateway container via `docker exec`, the mock's
//              source shipped as text and run with the container's node
// The turn always reads a config COPY whose only change is the model, so the operator's
// openclaw.json, its real model and its keys are never touched.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OssError } from '../../errors';
import { gateway } from '../../stack/model';
import { localEnv, type OpenClawTarget } from '../target';
import { startMockModel, type MockRequest, type ToolCall } from './mock-model';

export interface RunningMock {
  baseUrl: string;
  requests: MockRequest[];
  close(): Promise<void>;
}

export interface TurnResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RedteamRuntime {
  startMock(script: readonly ToolCall[]): Promise<RunningMock>;
  /** one agent turn of `main` with `config` (JSON text) as its config file */
  runTurn(config: string, args: string[], timeoutSec: number): Promise<TurnResult>;
  cleanup(): Promise<void>;
}

export function runtimeFor(target: OpenClawTarget): RedteamRuntime {
  return target.kind === 'local' ? localRuntime(target) : containerRuntime(target);
}

function noOpenclaw(err: NodeJS.ErrnoException, what: string): never {
  if (err.code === 'ENOENT') throw new OssError(`\`${what}\` was not found on PATH`, { hint: what === 'docker' ? 'install Docker or use --local' : 'scripts/setup-openclaw.sh prints a bin dir to put on PATH' });
  throw err;
}

function localRuntime(target: OpenClawTarget): RedteamRuntime {
  const work = mkdtempSync(join(tmpdir(), 'oss-redteam-'));
  return {
    startMock: (script) => startMockModel(script),
    async runTurn(config, args, timeoutSec) {
      const file = join(work, gateway.configFile);
      writeFileSync(file, config, { mode: 0o600 });
      const { execa } = await import('execa');
      const r = await execa('openclaw', args, {
        env: { ...localEnv(target.stateDir), OPENCLAW_CONFIG_PATH: file },
        extendEnv: false,
        reject: false,
        timeout: (timeoutSec + 60) * 1000,
        input: '',
      }).catch((err: NodeJS.ErrnoException) => noOpenclaw(err, 'openclaw'));
      return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
    cleanup: async () => rmSync(work, { recursive: true, force: true }),
  };
}

const CONTAINER_WORK = '/tmp/oss-redteam';

function containerRuntime(target: OpenClawTarget): RedteamRuntime {
  const container = target.container;
  if (!container) throw new OssError('no gateway container named for the red-team run', { hint: 'use --local or a stack dir' });
  let mockPid: number | undefined;
  const docker = async (args: string[], input = '', timeoutMs = 60_000) => {
    const { execa } = await import('execa');
    const r = await execa('docker', args, { reject: false, input, timeout: timeoutMs }).catch((err: NodeJS.ErrnoException) => noOpenclaw(err, 'docker'));
    return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  return {
    async startMock(script) {
      const { execa } = await import('execa');
      const source = `(${startMockModel.toString()})(${JSON.stringify(script)}, { printRequests: true, idleExitMs: 900000 }).catch((e) => { console.error(e); process.exit(1); });`;
      const child = execa('docker', ['exec', '-i', container, 'node', '-'], { input: source, reject: false, buffer: false });
      const requests: MockRequest[] = [];
      let buf = '';
      const ready = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new OssError(`the red-team mock did not start in ${container}`, { exitCode: 1 })), 30_000);
        child.stdout?.setEncoding('utf8').on('data', (d: string) => {
          buf += d;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            try {
              const msg = JSON.parse(line) as { ready?: number; pid?: number; request?: MockRequest };
              if (msg.request) requests.push(msg.request);
              if (msg.ready) {
                mockPid = msg.pid;
                clearTimeout(timer);
                resolve(msg.ready);
              }
            } catch {
              /* not ours */
            }
          }
        });
        void child.then((r) => {
          clearTimeout(timer);
          reject(new OssError(`the red-team mock exited in ${container}: ${String(r.stderr ?? '').slice(-300)}`, { exitCode: 1 }));
        });
      });
      const port = await ready;
      return {
        baseUrl: `http://127.0.0.1:${port}/v1`,
        requests,
        close: async () => {
          if (mockPid) await docker(['exec', container, 'sh', '-c', `kill ${mockPid}`]);
          mockPid = undefined;
          await child.catch(() => undefined);
        },
      };
    },
    async runTurn(config, args, timeoutSec) {
      const put = await docker(['exec', '-i', container, 'sh', '-c', `umask 077 && mkdir -p ${CONTAINER_WORK} && cat > ${CONTAINER_WORK}/${gateway.configFile}`], config);
      if (put.code !== 0) throw new OssError(`cannot stage the red-team config in ${container}: ${put.stderr.trim()}`, { exitCode: 1 });
      return docker(['exec', '-e', 'NO_COLOR=1', '-e', `OPENCLAW_CONFIG_PATH=${CONTAINER_WORK}/${gateway.configFile}`, container, 'openclaw', ...args], '', (timeoutSec + 60) * 1000);
    },
    async cleanup() {
      if (mockPid) await docker(['exec', container, 'sh', '-c', `kill ${mockPid}`]);
      await docker(['exec', container, 'rm', '-rf', CONTAINER_WORK]);
    },
  };
}
