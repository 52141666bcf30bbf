// The Docker executor against a small fake Engine API server over real HTTP: the exact
// request bytes the socket proxy pins, the upgraded raw stream with stdin half-close and
// multiplexed output, the exit code, and timeouts. (The live stack tests it for real.)
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerExecutor, StreamDemux } from '../../src/bridge/docker-executor';
import { createBridge } from '../../src/bridge/server';
import { DOCKER_API_VERSION, EXEC_START_BODY, EXEC_START_HEADERS, execCreateBody, routes, workerContainer } from '../../src/stack/model';
import { TOKEN, post, rawRequest } from './helpers';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: string;
}

function frame(stream: number, payload: string | Buffer): Buffer {
  const p = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(p.length, 4);
  return Buffer.concat([h, p]);
}

interface FakeEngine {
  port: number;
  seen: Seen[];
  stdin: string[];
  streamClosed: Promise<void>;
  close(): Promise<void>;
}

/** mode: how the fake "process" behaves once its stdin is closed */
async function fakeEngine(mode: { exitCode?: number; hang?: boolean; bigOutput?: number; createStatus?: number } = {}): Promise<FakeEngine> {
  const seen: Seen[] = [];
  const stdin: string[] = [];
  const upgraded = new Set<Socket>();
  const id = 'ab'.repeat(32);
  let streamClosedResolve!: () => void;
  const streamClosed = new Promise<void>((r) => (streamClosedResolve = r));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString() });
      if (req.method === 'POST' && /\/containers\/[^/]+\/exec$/.test(req.url!)) {
        if (mode.createStatus) return res.writeHead(mode.createStatus, { 'Content-Type': 'application/json' }).end('{"message":"no such container"}');
        return res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Id: id }));
      }
      if (req.method === 'GET' && req.url === `/${DOCKER_API_VERSION}/exec/${id}/json`) {
        return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Running: false, ExitCode: mode.exitCode ?? 0 }));
      }
      res.writeHead(404).end('{}');
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // Docker reads the JSON body (Content-Length), answers 101, then the rest is stdin
    const len = Number(req.headers['content-length']);
    let buf = head;
    let gotBody = false;
    let input = '';
    const onBytes = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (!gotBody && buf.length >= len) {
        gotBody = true;
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: buf.subarray(0, len).toString() });
        buf = buf.subarray(len);
        socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
      }
      if (gotBody) {
        input += buf.toString();
        buf = Buffer.alloc(0);
      }
    };
    socket.on('data', onBytes);
    upgraded.add(socket);
    socket.on('close', () => streamClosedResolve());
    socket.on('error', () => socket.destroy());
    socket.on('end', () => {
      // stdin half-closed: the "process" runs now
      stdin.push(input);
      if (mode.hang) {
        // a process that never finishes but keeps talking: writes fail once the bridge hangs up
        const beat = setInterval(() => socket.write(frame(2, '.')), 50);
        socket.on('close', () => clearInterval(beat));
        return;
      }
      if (mode.bigOutput) socket.write(frame(1, Buffer.alloc(mode.bigOutput, 0x41)));
      // split one frame across writes to exercise the demultiplexer
      const out = frame(1, `echo:${input}`);
      socket.write(out.subarray(0, 3));
      setTimeout(() => {
        socket.write(Buffer.concat([out.subarray(3), frame(2, 'note\n')]));
        socket.end();
      }, 10);
    });
    if (head.length > 0) onBytes(Buffer.alloc(0));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    seen,
    stdin,
    streamClosed,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      upgraded.forEach((s) => s.destroy());
      server.close(() => r());
    }),
  };
}

let engine: FakeEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const query = routes.find((r) => r.name === 'query-readonly')!;

describe('Docker exec executor', () => {
  it('sends exactly the pinned requests and returns demultiplexed output and the exit code', async () => {
    engine = await fakeEngine({ exitCode: 3 });
    const ex = dockerExecutor({ host: '127.0.0.1', port: engine.port });
    const result = await ex.run({ route: query, input: 'SELECT 1', timeoutMs: 5000, maxOutputBytes: 1 << 20 });
    expect(result).toMatchObject({ kind: 'exited', exitCode: 3, stdoutTruncated: false });
    if (result.kind !== 'exited') throw new Error('unreachable');
    expect(result.stdout.toString()).toBe('echo:SELECT 1');
    expect(result.stderr.toString()).toBe('note\n');

    const [create, start, inspect] = engine.seen;
    expect(create).toMatchObject({ method: 'POST', url: `/${DOCKER_API_VERSION}/containers/${workerContainer(query)}/exec`, body: execCreateBody(query) });
    expect(create!.headers['content-type']).toBe('application/json');
    expect(create!.headers['content-length']).toBe(String(Buffer.byteLength(execCreateBody(query))));
    expect(start).toMatchObject({ method: 'POST', url: `/${DOCKER_API_VERSION}/exec/${'ab'.repeat(32)}/start`, body: EXEC_START_BODY });
    // the proxy passes the start request in TCP mode, pinned byte for byte: headers in order, then Host
    expect(start!.rawHeaders).toEqual([...Object.entries(EXEC_START_HEADERS).flat(), 'Host', `127.0.0.1:${engine.port}`]);
    expect(inspect).toMatchObject({ method: 'GET', url: `/${DOCKER_API_VERSION}/exec/${'ab'.repeat(32)}/json`, body: '' });
    expect(engine.seen).toHaveLength(3);
    // the input travelled on stdin only, never in the exec request
    expect(engine.stdin).toEqual(['SELECT 1']);
    expect(create!.body).not.toContain('SELECT 1');
  });

  it('serves a route end to end through the bridge', async () => {
    engine = await fakeEngine();
    const bridge = createBridge({ token: TOKEN, executor: dockerExecutor({ host: '127.0.0.1', port: engine.port }), audit: () => {} });
    const { port } = await bridge.listen(0, '127.0.0.1');
    try {
      const res = await rawRequest(port, post('/query-readonly', JSON.stringify({ query: 'select now()' })));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ ok: true, exit_code: 0, stdout: 'echo:select now()', stderr: 'note\n', truncated: false });
    } finally {
      await bridge.drain();
    }
  });

  it('on timeout destroys the stream and reports a timeout', async () => {
    engine = await fakeEngine({ hang: true });
    const ex = dockerExecutor({ host: '127.0.0.1', port: engine.port });
    const t0 = performance.now();
    const result = await ex.run({ route: query, input: 'select pg_sleep(100)', timeoutMs: 300, maxOutputBytes: 1024 });
    expect(result).toEqual({ kind: 'timeout' });
    expect(performance.now() - t0).toBeLessThan(1500);
    await engine.streamClosed;
  });

  it('caps output per stream', async () => {
    engine = await fakeEngine({ bigOutput: 5000 });
    const ex = dockerExecutor({ host: '127.0.0.1', port: engine.port });
    const result = await ex.run({ route: query, input: 'x', timeoutMs: 5000, maxOutputBytes: 1000 });
    if (result.kind !== 'exited') throw new Error('expected exit');
    expect(result.stdout.length).toBe(1000);
    expect(result.stdoutTruncated).toBe(true);
    expect(result.stderrTruncated).toBe(false);
  });

  it('an engine refusal (no such container) is an error, not an exit code', async () => {
    engine = await fakeEngine({ createStatus: 404 });
    const ex = dockerExecutor({ host: '127.0.0.1', port: engine.port });
    await expect(ex.run({ route: query, input: 'x', timeoutMs: 5000, maxOutputBytes: 1000 })).rejects.toThrow(/HTTP 404/);
  });

  it('demultiplexes frames split at every byte boundary', () => {
    const data = Buffer.concat([frame(1, 'hello '), frame(2, 'warn'), frame(1, 'world'), frame(1, '')]);
    for (let cut = 0; cut <= data.length; cut++) {
      const got: string[] = [];
      const d = new StreamDemux((s, p) => got.push(`${s}:${p.toString()}`));
      d.push(data.subarray(0, cut));
      d.push(data.subarray(cut));
      expect(got).toEqual(['1:hello ', '2:warn', '1:world', '1:']);
      expect(d.leftover).toBe(0);
    }
  });
});
