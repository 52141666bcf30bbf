// Bring the stack up and down: build, start, wait for every healthcheck, and on failure
// name the failing service with its last log lines (secrets scrubbed).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OssError, ExitCode } from '../errors';
import { COMPOSE_FILE, SECRETS_DIR, serviceKeys, services, type ServiceKey } from '../stack/model';
import { compose, projectObjects, type ProjectObjects } from './compose';
import { requireEngine, runDocker, tailLines, type DockerRunner } from './engine';
import { inspectContainers, type ContainerInspect } from './inspect';

export interface UpEvents {
  step(text: string): void;
  done(text: string): void;
  info(text: string): void;
}

export interface ServiceState {
  service: ServiceKey;
  /** container id, empty when missing */
  id: string;
  container: string;
  state: string;
  health: string;
}

export interface UpResult {
  engine: string;
  buildMs: number;
  startMs: number;
  services: ServiceState[];
}

export interface UpOptions {
  dir: string;
  /** seconds to wait for every container to be healthy */
  timeoutSec: number;
  build: boolean;
  events: UpEvents;
  run?: DockerRunner;
  /** clock, for tests */
  sleep?: (ms: number) => Promise<void>;
}

const LOG_LINES = 25;

export function assertComposeDir(dir: string): void {
  if (!existsSync(join(dir, COMPOSE_FILE))) {
    throw new OssError(`${dir} has no ${COMPOSE_FILE}`, { hint: `run \`oss init --dir ${dir}\` first, or pass the stack directory with --dir` });
  }
}

/** secret values of the stack dir, to scrub from logs we print */
export function secretScrubber(dir: string): (s: string) => string {
  const values: string[] = [];
  try {
    for (const f of readdirSync(join(dir, SECRETS_DIR))) {
      const v = readFileSync(join(dir, SECRETS_DIR, f), 'utf8').trim();
      if (v.length >= 8) values.push(v);
    }
  } catch {
    // unreadable or absent secrets: nothing to scrub
  }
  return (s) => values.reduce((acc, v) => acc.split(v).join('[redacted]'), s);
}

function stateOf(key: ServiceKey, c: ContainerInspect | null): ServiceState {
  return {
    service: key,
    id: c?.Id ?? '',
    container: services[key].containerName,
    state: c?.State.Status ?? 'missing',
    health: c?.State.Health?.Status ?? (c ? 'none' : 'missing'),
  };
}

/** last log lines of a container, scrubbed */
async function lastLogs(container: string, scrub: (s: string) => string, run: DockerRunner): Promise<string[]> {
  const r = await run(['logs', '--tail', String(LOG_LINES), container], { timeoutMs: 15_000 });
  return tailLines(scrub(`${r.stdout}\n${r.stderr}`), LOG_LINES);
}

export class StackFailure extends OssError {
  constructor(
    readonly service: string,
    message: string,
    readonly logs: string[],
    hint = `fix the cause shown above, then run \`oss up\` again (full log: docker logs ${service})`,
  ) {
    super(`${message}${logs.length ? `\nlast log lines of ${service}:\n${logs.map((l) => `  | ${l}`).join('\n')}` : ''}`, { exitCode: ExitCode.failed, hint });
  }
}

export async function stackUp(opts: UpOptions): Promise<UpResult> {
  const run = opts.run ?? runDocker;
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  assertComposeDir(opts.dir);
  const engine = await requireEngine(run);
  const scrub = secretScrubber(opts.dir);
  const ev = opts.events;

  let buildMs = 0;
  if (opts.build) {
    ev.step('building images');
    const t0 = Date.now();
    const b = await compose(opts.dir, ['build'], { timeoutMs: 30 * 60_000, env: { ...process.env, DOCKER_BUILDKIT: '1' } }, run);
    buildMs = Date.now() - t0;
    if (b.exitCode !== 0) {
      const text = scrub(`${b.stdout}\n${b.stderr}`);
      // BuildKit names the failing step "[service n/m]" on its ERROR and " > " lines
      const failing = /(?:ERROR|^ *>).*\[([a-z][a-z0-9-]*) [0-9]+\/[0-9]+\]/m.exec(text)?.[1] ?? /target ([a-z][a-z0-9-]*):/.exec(text)?.[1];
      const service = serviceKeys.find((k) => k === failing);
      const lines = tailLines(text, LOG_LINES).filter((l) => !service || !/^#[0-9]+ /.test(l) || l.includes(`[${service} `) || /ERROR/.test(l));
      throw new StackFailure(service ? services[service].containerName : 'build', `building the image of ${service ?? 'a service'} failed`, lines, `fix the cause shown above, then run \`oss up\` again (full log: docker compose -f ${join(opts.dir, COMPOSE_FILE)} build${service ? ` ${service}` : ''})`);
    }
    ev.done(`images built in ${(buildMs / 1000).toFixed(1)} s`);
  }

  ev.step('starting containers');
  const t1 = Date.now();
  // compose waits for depends_on healthchecks itself; poll meanwhile to report progress
  const up = compose(opts.dir, ['up', '-d', '--remove-orphans', '--no-build'], { timeoutMs: opts.timeoutSec * 1000 + 60_000 }, run);
  let upDone: { exitCode: number; stdout: string; stderr: string } | undefined;
  void up.then((r) => (upDone = r));
  const names = serviceKeys.map((k) => services[k].containerName);
  // keyed by container id: a container compose recreates is reported again when healthy
  const reported = new Set<string>();
  const ready = (s: ServiceState) => s.state === 'running' && (s.health === 'healthy' || s.health === 'none');
  const deadline = t1 + opts.timeoutSec * 1000;
  let states: ServiceState[] = [];
  for (;;) {
    const found = await inspectContainers(names, run);
    states = serviceKeys.map((k) => stateOf(k, found.get(services[k].containerName) ?? null));
    for (const s of states) {
      if (s.id && !reported.has(s.id) && ready(s)) {
        reported.add(s.id);
        ev.done(`${s.service} healthy (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
      }
    }
    // while compose works, old containers pass through exited/unhealthy on their way out;
    // compose itself fails when a dependency never becomes healthy
    const bad = upDone && states.find((s) => s.state === 'exited' || s.state === 'dead' || s.health === 'unhealthy' || s.state === 'restarting');
    if (bad) {
      // the healthcheck's own last answers say more than the service log
      const probes = (found.get(bad.container)?.State.Health?.Log ?? []).slice(-3).map((h) => `healthcheck exit ${h.ExitCode}: ${h.Output.trim().split('\n').slice(-2).join(' / ') || '(no output)'}`);
      throw new StackFailure(bad.container, `service ${bad.service} is ${bad.health === 'unhealthy' ? 'unhealthy' : bad.state}`, [...(await lastLogs(bad.container, scrub, run)), ...probes.map(scrub)]);
    }
    if (upDone && upDone.exitCode !== 0) {
      const text = scrub(`${upDone.stdout}\n${upDone.stderr}`);
      const named = states.find((s) => text.includes(s.container)) ?? states.find((s) => s.state !== 'running');
      const logs = named && named.state !== 'missing' ? await lastLogs(named.container, scrub, run) : tailLines(text, LOG_LINES);
      throw new StackFailure(named?.container ?? 'compose', `docker compose up failed: ${tailLines(text, 3).join(' / ')}`, logs);
    }
    if (upDone && states.every(ready)) break;
    if (Date.now() > deadline) {
      const slow = states.find((s) => !ready(s)) ?? states[0]!;
      throw new StackFailure(slow.container, `service ${slow.service} was not healthy after ${opts.timeoutSec} s (state ${slow.state}, health ${slow.health})`, slow.state === 'missing' ? [] : await lastLogs(slow.container, scrub, run));
    }
    await sleep(1000);
  }
  return { engine, buildMs, startMs: Date.now() - t1, services: states };
}

export interface DownResult {
  removed: ProjectObjects;
  left: ProjectObjects;
}

export async function stackDown(opts: { dir: string; keepVolumes: boolean; run?: DockerRunner }): Promise<DownResult> {
  const run = opts.run ?? runDocker;
  assertComposeDir(opts.dir);
  await requireEngine(run);
  const before = await projectObjects(run);
  const args = ['down', '--remove-orphans', '--timeout', '20', ...(opts.keepVolumes ? [] : ['--volumes'])];
  const r = await compose(opts.dir, args, { timeoutMs: 180_000 }, run);
  if (r.exitCode !== 0) {
    throw new OssError(`docker compose down failed: ${tailLines(r.stderr, 5).join(' / ')}`, { exitCode: ExitCode.failed, hint: 'check `docker ps -a` and run `oss down` again' });
  }
  const left = await projectObjects(run);
  const gone = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
  return {
    removed: { containers: gone(before.containers, left.containers), networks: gone(before.networks, left.networks), volumes: gone(before.volumes, left.volumes) },
    left,
  };
}
