// Shared by the bridge tests: a real bridge on a free loopback port with real child
// processes as workers, and a raw-socket HTTP client for requests no library would send.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localExecutor, type CommandMap } from '../../src/bridge/local-executor';
import { createBridge, type AuditRecord, type Bridge, type BridgeOptions } from '../../src/bridge/server';

export const TOKEN = 'a'.repeat(8) + Buffer.from('bridge-test-token-0123456789').toString('hex');

export interface RunningBridge {
  bridge: Bridge;
  port: number;
  dir: string;
  audit: AuditRecord[];
  close(): Promise<void>;
}

/** a temp dir holding executable stub workers; returns the dir */
export function stubDir(scripts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'oss-bridge-'));
  for (const [name, body] of Object.entries(scripts)) {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

export const defaultStubs = {
  'run-codex': 'exec cat',
  'deploy-staging': 'echo deployed',
  'query-readonly': 'cat; echo err >&2; exit 3',
};

export async function startBridge(
  opts: Partial<BridgeOptions> & { stubs?: Record<string, string> } = {},
): Promise<RunningBridge> {
  const dir = stubDir({ ...defaultStubs, ...opts.stubs });
  const commands: CommandMap = {
    'run-codex': [join(dir, 'run-codex')],
    'deploy-staging': [join(dir, 'deploy-staging')],
    'query-readonly': [join(dir, 'query-readonly')],
  };
  const audit: AuditRecord[] = [];
  const bridge = createBridge({
    token: TOKEN,
    executor: localExecutor(commands),
    audit: (r) => audit.push(r),
    ...opts,
  });
  const { port } = await bridge.listen(0, '127.0.0.1');
  return {
    bridge,
    port,
    dir,
    audit,
    async close() {
      await bridge.drain();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  raw: string;
  ms: number;
}

/** send bytes on a fresh connection; read until the server closes (or timeout) */
export function rawRequest(
  port: number,
  data: string | Buffer | ((s: Socket) => void),
  timeoutMs = 5000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got: ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`));
    }, timeoutMs);
    s.on('data', (c) => chunks.push(c));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('utf8');
      resolve({ ...parseResponse(raw), raw, ms: performance.now() - started });
    });
    s.on('connect', () => {
      if (typeof data === 'function') data(s);
      else s.write(data);
    });
  });
}

export function parseResponse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(raw);
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: m ? Number(m[1]) : 0, headers, body: rest.join('\r\n\r\n') };
}

/** a raw HTTP/1.1 request with Connection: close; headers given verbatim */
export function httpText(method: string, path: string, headers: string[], body: string | Buffer = ''): Buffer {
  const head = `${method} ${path} HTTP/1.1\r\nHost: bridge\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')]);
}

/** a well-formed authorised JSON POST */
export function post(path: string, body: string | Buffer, extra: string[] = []): Buffer {
  const len = Buffer.isBuffer(body) ? body.length : Buffer.byteLength(body);
  return httpText('POST', path, [`Authorization: Bearer ${TOKEN}`, 'Content-Type: application/json', `Content-Length: ${len}`, ...extra], body);
}

export async function healthz(port: number): Promise<RawResponse> {
  return rawRequest(port, httpText('GET', '/healthz', []));
}

/** live (non-zombie) processes in a process group, read from /proc */
export function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces, so split after the last ')'
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') pids.push(Number(entry));
  }
  return pids;
}

export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

export async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

/** a file with exact content and mode in dir */
export function modeFile(dir: string, name: string, content: string, mode = 0o600): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  chmodSync(p, mode);
  return p;
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** run a program with only PATH and the given env, stdin from `input` */
export function runProgram(file: string, args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { PATH: process.env.PATH ?? '', ...opts.env }, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}
