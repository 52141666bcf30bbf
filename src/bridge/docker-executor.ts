// Runs a route's worker with Docker Engine API exec calls through the socket proxy.
// The proxy pins each request (path and buffered body), so the bytes sent here are
// exactly the model's: execCreateBody(route), then EXEC_START_BODY with EXEC_START_HEADERS (an upgrade to a
// raw stream: stdin written then half-closed, stdout/stderr multiplexed), then the
// exec's ExitCode. On timeout the stream is destroyed; the worker's own timeout ends it.
import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import {
  DOCKER_API_VERSION,
  EXEC_START_BODY,
  EXEC_START_HEADERS,
  execCreateBody,
  workerContainer,
  type RouteModel,
} from '../stack/model';
import { CappedBuffer, type ExecRequest, type ExecResult, type Executor } from './executor';

export interface DockerEndpoint {
  host: string;
  port: number;
  /** the worker container of a route; the model's fixed name unless a test points elsewhere */
  containerFor?: (route: RouteModel) => string;
}

class Deadline extends Error {}

function jsonHeaders(body: string): Record<string, string | number> {
  return { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
}

/** one plain request/response; resolves with status and body text */
function call(
  ep: DockerEndpoint,
  method: string,
  path: string,
  body: string | null,
  track: (destroy: () => void) => void,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: ep.host,
        port: ep.port,
        method,
        path,
        agent: false,
        headers: body === null ? {} : jsonHeaders(body),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    track(() => req.destroy(new Deadline('deadline')));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** split Docker's multiplexed stream: 8-byte header (stream, 0, 0, 0, size BE) + payload */
export class StreamDemux {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly sink: (stream: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      this.sink(this.pending[0]!, this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
  }

  /** bytes of an incomplete frame left when the stream ended */
  get leftover(): number {
    return this.pending.length;
  }
}

export function dockerExecutor(ep: DockerEndpoint): Executor {
  const live = new Set<() => void>();
  const base = `/${DOCKER_API_VERSION}`;

  async function run(req: ExecRequest): Promise<ExecResult> {
    const destroyers: (() => void)[] = [];
    const track = (d: () => void) => destroyers.push(d);
    const abort = () => destroyers.forEach((d) => d());
    live.add(abort);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort();
    }, req.timeoutMs);
    try {
      const container = (ep.containerFor ?? workerContainer)(req.route);
      const created = await call(ep, 'POST', `${base}/containers/${container}/exec`, execCreateBody(req.route), track);
      if (created.status !== 201) throw new Error(`exec create answered HTTP ${created.status}`);
      const id = (JSON.parse(created.text) as { Id?: unknown }).Id;
      if (typeof id !== 'string' || !/^[0-9a-f]{12,128}$/.test(id)) throw new Error('exec create returned no valid Id');

      const out = new CappedBuffer(req.maxOutputBytes);
      const err = new CappedBuffer(req.maxOutputBytes);
      await startAndStream(ep, `${base}/exec/${id}/start`, req.input, out, err, track);

      // the stream ends when the process exits; its status may lag by a moment
      let exitCode: number | null = null;
      for (let attempt = 0; attempt < 50 && exitCode === null; attempt++) {
        const info = await call(ep, 'GET', `${base}/exec/${id}/json`, null, track);
        if (info.status !== 200) throw new Error(`exec inspect answered HTTP ${info.status}`);
        const parsed = JSON.parse(info.text) as { Running?: boolean; ExitCode?: number | null };
        if (!parsed.Running && typeof parsed.ExitCode === 'number') exitCode = parsed.ExitCode;
        else await new Promise((r) => setTimeout(r, 20));
      }
      if (exitCode === null) throw new Error('exec still running after its output ended');
      return {
        kind: 'exited',
        exitCode,
        stdout: out.value(),
        stderr: err.value(),
        stdoutTruncated: out.truncated,
        stderrTruncated: err.truncated,
      };
    } catch (e) {
      if (timedOut) return { kind: 'timeout' };
      throw e;
    } finally {
      clearTimeout(timer);
      live.delete(abort);
    }
  }

  return {
    kind: 'docker',
    run,
    killAll() {
      for (const abort of live) abort();
    },
  };
}

function startAndStream(
  ep: DockerEndpoint,
  path: string,
  input: string,
  out: CappedBuffer,
  err: CappedBuffer,
  track: (destroy: () => void) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: ep.host,
      port: ep.port,
      method: 'POST',
      path,
      agent: false,
      // exactly the model's headers: the socket proxy pins this request byte for byte
      headers: { ...EXEC_START_HEADERS },
    });
    track(() => req.destroy(new Deadline('deadline')));
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      res.resume();
      reject(new Error(`exec start answered HTTP ${res.statusCode} instead of upgrading`));
    });
    req.on('upgrade', (_res: IncomingMessage, socket: Socket, head: Buffer) => {
      let aborted = false;
      track(() => {
        aborted = true;
        socket.destroy();
      });
      const demux = new StreamDemux((stream, payload) => {
        if (stream === 1) out.push(payload);
        else if (stream === 2) err.push(payload);
      });
      if (head.length > 0) demux.push(head);
      socket.on('data', (c: Buffer) => demux.push(c));
      // EPIPE/ECONNRESET when the worker exits without reading its input: the exit
      // status (inspected next) is the truth, not the transport error
      socket.on('error', () => {});
      socket.on('close', () => (aborted ? reject(new Deadline('stream destroyed')) : resolve()));
      // input on stdin, then half-close so the worker sees EOF
      socket.end(input);
    });
    req.end(EXEC_START_BODY);
  });
}
