// oss up's core with a scripted docker: progress per service, and a failure names the
// service and shows its last log lines with every secret value scrubbed.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DockerResult, DockerRunner } from '../../src/docker/engine';
import { stackUp, StackFailure } from '../../src/docker/stack';
import { serviceKeys, services } from '../../src/stack/model';
import { hardenedContainer } from './fake-view';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function stackDir(secret: string): string {
  const d = mkdtempSync(join(tmpdir(), 'oss-up-'));
  dirs.push(d);
  writeFileSync(join(d, 'docker-compose.yml'), 'services: {}\n');
  mkdirSync(join(d, 'secrets'));
  writeFileSync(join(d, 'secrets', 'bridge_token'), `${secret}\n`);
  return d;
}

const ok = (stdout = ''): DockerResult => ({ exitCode: 0, stdout, stderr: '' });

/** a docker whose containers become healthy one poll after another, except `sick` */
function scriptedDocker(opts: { sick?: string; logs?: string }): { run: DockerRunner; calls: string[][] } {
  const calls: string[][] = [];
  let polls = 0;
  const run: DockerRunner = async (args) => {
    calls.push(args);
    if (args[0] === 'version') return ok('20.10.24\n');
    if (args[0] === 'compose') return ok();
    if (args[0] === 'logs') return { exitCode: 0, stdout: opts.logs ?? '', stderr: '' };
    if (args[0] === 'container' && args[1] === 'inspect') {
      polls++;
      const list = serviceKeys.slice(0, Math.min(serviceKeys.length, polls * 2)).map((k) => {
        const c = hardenedContainer(k);
        if (services[k].containerName === opts.sick) c.State.Health = { Status: 'unhealthy' };
        return c;
      });
      return ok(JSON.stringify(list));
    }
    return { exitCode: 1, stdout: '', stderr: `unexpected ${args.join(' ')}` };
  };
  return { run, calls };
}

const noSleep = async () => {};

describe('stackUp', () => {
  it('builds, starts and reports each service healthy', async () => {
    const { run, calls } = scriptedDocker({});
    const done: string[] = [];
    const r = await stackUp({ dir: stackDir('x'.repeat(64)), timeoutSec: 60, build: true, run, sleep: noSleep, events: { step: () => {}, done: (t) => done.push(t), info: () => {} } });
    expect(r.services.every((s) => s.health === 'healthy')).toBe(true);
    expect(done.filter((d) => d.includes('healthy'))).toHaveLength(serviceKeys.length);
    expect(calls.some((c) => c.includes('build'))).toBe(true);
    expect(calls.find((c) => c.includes('up'))).toEqual(expect.arrayContaining(['-p', 'openclaw-stack', 'up', '-d']));
  });

  it('names the unhealthy service and prints its last log lines without secrets', async () => {
    const secret = 'f'.repeat(64);
    const { run } = scriptedDocker({ sick: services['socket-proxy'].containerName, logs: `starting\nbad token ${secret}\n[ALERT] cannot bind socket\n` });
    const err = await stackUp({ dir: stackDir(secret), timeoutSec: 60, build: false, run, sleep: noSleep, events: { step: () => {}, done: () => {}, info: () => {} } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StackFailure);
    const f = err as StackFailure;
    expect(f.service).toBe('openclaw-socket-proxy');
    expect(f.message).toMatch(/socket-proxy is unhealthy/);
    expect(f.message).toContain('[ALERT] cannot bind socket');
    expect(f.message).not.toContain(secret);
    expect(f.exitCode).toBe(1);
  });

  it('a failed build names the service whose step failed and shows its error lines', async () => {
    const buildOut = [
      '#21 [codex-worker 4/5] COPY oss-run-codex /usr/local/bin/oss-run-codex',
      '#27 [socket-proxy 4/4] RUN haproxy -c -f /usr/local/etc/haproxy/haproxy.cfg',
      '#27 ERROR: executor failed running [/bin/sh -c haproxy -c -f /usr/local/etc/haproxy/haproxy.cfg]: exit code: 1',
      ' > [socket-proxy 4/4] RUN haproxy -c -f /usr/local/etc/haproxy/haproxy.cfg:',
      "0.190 [ALERT]    (6) : config : parsing [/usr/local/etc/haproxy/haproxy.cfg:97] : unknown keyword 'bogus'",
    ].join('\n');
    const run: DockerRunner = async (args) => (args[0] === 'version' ? ok('20.10.24') : args.includes('build') ? { exitCode: 17, stdout: '', stderr: buildOut } : ok());
    const err = (await stackUp({ dir: stackDir('x'.repeat(40)), timeoutSec: 60, build: true, run, sleep: noSleep, events: { step: () => {}, done: () => {}, info: () => {} } }).catch((e: unknown) => e)) as StackFailure;
    expect(err.service).toBe(services['socket-proxy'].containerName);
    expect(err.message).toMatch(/building the image of socket-proxy failed/);
    expect(err.message).toContain("unknown keyword 'bogus'");
    expect(err.message).not.toContain('codex-worker 4/5');
    expect(err.hint).toMatch(/compose -f .* build socket-proxy/);
  });
});
