// Network probes, run in parallel either here or INSIDE a container (`docker exec -i C node -e`),
// so a check sees the network from that container's position. Requests are written raw
// over TCP so a probe can send exactly the bytes an attacker would (percent-encoding,
// dot segments, chunked bodies). Secrets: a probe names a secret FILE inside the
// container; the value is read there and never crosses argv, stdout or this process.
import fs from 'node:fs';
import net from 'node:net';
import { runDocker, type DockerRunner } from './engine';

export interface HttpProbe {
  id: string;
  kind: 'http';
  host: string;
  port: number;
  method: string;
  /** request target exactly as sent */
  target: string;
  headers?: Record<string, string>;
  body?: string;
  /** send the body with Transfer-Encoding: chunked instead of Content-Length */
  chunked?: boolean;
  /** file in the probing container holding a bearer token */
  bearerFile?: string;
  timeoutMs?: number;
}

export interface TcpProbe {
  id: string;
  kind: 'tcp';
  host: string;
  port: number;
  timeoutMs?: number;
}

export type Probe = HttpProbe | TcpProbe;

export interface ProbeResult {
  id: string;
  /** TCP connection established */
  connected: boolean;
  /** HTTP status, when a response line was read */
  status?: number;
  headers?: Record<string, string>;
  /** first 4 KiB of the response body */
  body?: string;
  /** errno code (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ...) */
  error?: string;
  ms: number;
}

type NetModule = typeof net;
type FsModule = typeof fs;

// Self-contained: serialised with toString() and run by `node -e` inside containers.
// It must not reference anything outside its own body.
async function probeMain(netMod: NetModule, fsMod: FsModule, probes: Probe[]): Promise<ProbeResult[]> {
  const one = (p: Probe): Promise<ProbeResult> =>
    new Promise((resolve) => {
      const t0 = Date.now();
      const chunks: Buffer[] = [];
      let connected = false;
      let settled = false;
      const sock = netMod.connect({ host: p.host, port: p.port });
      const finish = (error?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sock.destroy();
        const r: ProbeResult = { id: p.id, connected, ms: Date.now() - t0 };
        if (error) r.error = error;
        if (p.kind === 'http') {
          const raw = Buffer.concat(chunks).toString('latin1');
          const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(raw);
          if (m) {
            r.status = Number(m[1]);
            const end = raw.indexOf('\r\n\r\n');
            const head = raw.slice(0, end < 0 ? raw.length : end).split('\r\n').slice(1);
            r.headers = {};
            for (const line of head) {
              const i = line.indexOf(':');
              if (i > 0) r.headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
            }
            r.body = end < 0 ? '' : Buffer.from(raw.slice(end + 4), 'latin1').toString('utf8').slice(0, 4096);
            delete r.error;
          }
        }
        resolve(r);
      };
      const timer = setTimeout(() => finish(connected ? 'ETIMEDOUT_RESPONSE' : 'ETIMEDOUT'), p.timeoutMs ?? 3000);
      sock.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
      sock.on('data', (d: Buffer) => {
        chunks.push(d);
        // a 101 keeps the connection open (tunnel): the status line is all we need
        if (/^HTTP\/1\.[01] 101 /.test(Buffer.concat(chunks).toString('latin1')) && Buffer.concat(chunks).includes('\r\n\r\n')) finish();
      });
      sock.on('end', () => finish());
      sock.on('close', () => finish(connected ? undefined : 'ECLOSED'));
      sock.on('connect', () => {
        connected = true;
        if (p.kind === 'tcp') return finish();
        const headers: Record<string, string> = { Host: `${p.host}:${p.port}`, Connection: 'close', ...(p.headers ?? {}) };
        if (p.bearerFile) headers.Authorization = `Bearer ${fsMod.readFileSync(p.bearerFile, 'utf8').trim()}`;
        const body = p.body === undefined ? undefined : Buffer.from(p.body, 'utf8');
        if (body && p.chunked) headers['Transfer-Encoding'] = 'chunked';
        else if (body) headers['Content-Length'] = String(body.length);
        let head = `${p.method} ${p.target} HTTP/1.1\r\n`;
        for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
        sock.write(`${head}\r\n`);
        if (body && p.chunked) sock.write(Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]));
        else if (body) sock.write(body);
      });
    });
  return Promise.all(probes.map(one));
}

/** run probes from this process's network position */
export function probeHere(probes: Probe[]): Promise<ProbeResult[]> {
  return probeMain(net, fs, probes);
}

/** the script `node -e` runs inside a container: probes as JSON on stdin, results on stdout */
export function probeScript(): string {
  return `(${probeMain.toString()})(require('net'),require('fs'),JSON.parse(require('fs').readFileSync(0,'utf8'))).then(r=>process.stdout.write(JSON.stringify(r)),e=>{console.error(String(e));process.exit(3)})`;
}

/** run probes from inside a running container that has node on its PATH */
export async function probeFrom(container: string, probes: Probe[], run: DockerRunner = runDocker): Promise<ProbeResult[]> {
  const timeout = Math.max(5000, ...probes.map((p) => (p.timeoutMs ?? 3000) + 5000));
  const r = await run(['exec', '-i', container, 'node', '-e', probeScript()], { input: JSON.stringify(probes), timeoutMs: timeout });
  if (r.exitCode !== 0) throw new Error(`probe from ${container} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 300)}`);
  return JSON.parse(r.stdout) as ProbeResult[];
}
