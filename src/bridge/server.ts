// The bridge: three fixed POST routes from the stack model plus GET /healthz, on
// node:http. Keeps the original contract (statuses, JSON bodies, audit line) and
// closes its gaps: slow or idle clients are timed out, headers and bodies (chunked
// too) are capped, only application/json is read, and a request is authenticated and
// validated before it may take one of the N execution slots.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { bridge, routeByPath, type RouteModel, type RouteName } from '../stack/model';
import type { Executor } from './executor';

export interface BridgeLimits {
  maxBodyBytes: number;
  maxOutputBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxHeaderBytes: number;
  maxConnections: number;
  drainTimeoutMs: number;
}

export const defaultLimits: BridgeLimits = {
  maxBodyBytes: bridge.maxBodyBytes,
  maxOutputBytes: bridge.maxOutputBytes,
  headersTimeoutMs: bridge.headersTimeoutMs,
  requestTimeoutMs: bridge.requestTimeoutMs,
  keepAliveTimeoutMs: bridge.keepAliveTimeoutMs,
  maxHeaderBytes: bridge.maxHeaderBytes,
  maxConnections: bridge.maxConnections,
  drainTimeoutMs: bridge.drainTimeoutMs,
};

/** one line per request; never the body, never the token */
export interface AuditRecord {
  time: string;
  route: string;
  method: string;
  status: number;
  reason: string;
  duration_ms: number;
  peer: string;
  bytes_in: number;
  bytes_out: number;
  exit_code?: number;
  stdout_sha256_16?: string;
  truncated?: boolean;
}

export interface BridgeOptions {
  token: string;
  executor: Executor;
  concurrency?: number;
  limits?: Partial<BridgeLimits>;
  /** per-route timeout override in ms (tests); default the model's timeoutSec */
  routeTimeoutMs?: Partial<Record<RouteName, number>>;
  audit?: (record: AuditRecord) => void;
}

export interface Bridge {
  server: Server;
  listen(port: number, host: string): Promise<{ host: string; port: number }>;
  /** stop accepting, finish running executions (up to drainTimeoutMs), then close */
  drain(): Promise<void>;
  /** executions running now */
  readonly active: number;
}

type Reply = { status: number; body: Record<string, unknown>; reason: string; headers?: Record<string, string> };

const digest = (s: string | Buffer) => createHash('sha256').update(s).digest();

function errorReply(status: number, error: string, reason: string, headers?: Record<string, string>): Reply {
  return { status, body: { ok: false, error }, reason, headers };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

/** count characters as people do (code points), not UTF-16 units */
function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function createBridge(opts: BridgeOptions): Bridge {
  const limits: BridgeLimits = { ...defaultLimits, ...opts.limits };
  const concurrency = opts.concurrency ?? bridge.concurrency;
  const expected = digest(`Bearer ${opts.token}`);
  const audit = opts.audit ?? ((r: AuditRecord) => process.stderr.write(`${JSON.stringify(r)}\n`));
  const executor = opts.executor;
  let active = 0;
  let draining = false;
  const idle: (() => void)[] = [];
  /** sockets to close after their current response */
  const closing = new WeakSet<Socket>();

  const server = createServer({
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    requireHostHeader: false,
    joinDuplicateHeaders: false,
  });
  server.maxConnections = limits.maxConnections;
  server.maxHeadersCount = 64;

  function timeoutFor(route: RouteModel): number {
    return opts.routeTimeoutMs?.[route.name] ?? route.timeoutSec * 1000;
  }

  function send(req: IncomingMessage, res: ServerResponse, started: number, bytesIn: number, reply: Reply, extra: Partial<AuditRecord> = {}, close = false): void {
    const data = Buffer.from(JSON.stringify(reply.body));
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': data.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...reply.headers,
    };
    if (close || draining || closing.has(req.socket)) headers.Connection = 'close';
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(reply.status, headers);
      res.end(req.method === 'HEAD' ? undefined : data);
    }
    const route = routeByPath(req.url ?? '');
    audit({
      time: new Date().toISOString(),
      route: req.url === '/healthz' ? '/healthz' : (route?.path ?? 'unknown'),
      method: methodName(req.method),
      status: reply.status,
      reason: reply.reason,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      peer: req.socket.remoteAddress ?? '',
      bytes_in: bytesIn,
      bytes_out: req.method === 'HEAD' ? 0 : data.length,
      ...extra,
    });
  }

  function authorized(req: IncomingMessage): boolean {
    const values: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i]!.toLowerCase() === 'authorization') values.push(req.rawHeaders[i + 1]!);
    }
    if (values.length !== 1) return false;
    return timingSafeEqual(digest(values[0]!), expected);
  }

  function jsonContentType(req: IncomingMessage): boolean {
    const ct = req.headers['content-type'];
    if (typeof ct !== 'string') return false;
    const [type, ...params] = ct.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'application/json') return false;
    return params.every((p) => p === '' || p === 'charset=utf-8' || p === 'charset="utf-8"');
  }

  /** read the body, counting every byte (Content-Length or chunked) against the cap */
  function readBody(req: IncomingMessage): Promise<{ kind: 'ok'; body: Buffer } | { kind: 'too_large'; bytes: number } | { kind: 'aborted' }> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (v: Parameters<typeof resolve>[0]) => {
        if (done) return;
        done = true;
        resolve(v);
      };
      req.on('data', (c: Buffer) => {
        if (done) return;
        size += c.length;
        if (size > limits.maxBodyBytes) {
          req.pause();
          return finish({ kind: 'too_large', bytes: size });
        }
        chunks.push(c);
      });
      req.on('end', () => finish({ kind: 'ok', body: Buffer.concat(chunks, size) }));
      req.on('error', () => finish({ kind: 'aborted' }));
      req.on('close', () => finish({ kind: 'aborted' }));
    });
  }

  /** validate a route's JSON body; returns the input for the worker or a 400 */
  function parseInput(route: RouteModel, body: Buffer): { input: string } | Reply {
    let text: string;
    let value: unknown;
    try {
      text = utf8.decode(body);
      value = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return errorReply(400, 'invalid json', 'invalid_json');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return errorReply(400, 'body must be object', 'body_not_object');
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (route.field === null) {
      // deploy-staging takes no input at all: a field is refused, not ignored
      if (keys.length > 0) return errorReply(400, `${route.name} takes no input`, 'unexpected_field');
      return { input: '' };
    }
    if (keys.some((k) => k !== route.field)) return errorReply(400, `only the field "${route.field}" is accepted`, 'unexpected_field');
    const raw = obj[route.field] ?? '';
    if (typeof raw !== 'string') return errorReply(400, `${route.field} must be string`, `${route.field}_not_string`);
    if (raw.trim() === '') return errorReply(400, `${route.field} is required`, `${route.field}_empty`);
    if (route.maxInputChars !== null && charLength(raw) > route.maxInputChars) {
      return errorReply(400, `${route.field} exceeds ${route.maxInputChars} character limit`, `${route.field}_too_long`);
    }
    return { input: raw };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = req.url ?? '';
    const method = req.method ?? '';
    // refused before its body is read: keep the connection only when node can discard a
    // declared body of at most 8x the cap; a chunked or larger one closes it
    const declared = req.headers['content-length'];
    const smallBody = req.headers['transfer-encoding'] === undefined && (declared === undefined || (/^[0-9]{1,15}$/.test(declared) && Number(declared) <= 8 * limits.maxBodyBytes));

    if (url === '/healthz') {
      if (method === 'GET' || method === 'HEAD') return send(req, res, started, 0, { status: 200, body: { ok: true }, reason: 'ok' });
      return send(req, res, started, 0, errorReply(405, 'method not allowed', 'method_not_allowed', { Allow: 'GET, HEAD' }), {}, !smallBody);
    }
    // exact match only: no query string, trailing slash, dot segment or percent-encoding
    const route = routeByPath(url);
    if (!route) {
      const reply = method === 'GET' || method === 'HEAD' ? errorReply(404, 'not found', 'not_found') : errorReply(404, 'unknown endpoint', 'unknown_route');
      return send(req, res, started, 0, reply, {}, !smallBody);
    }
    if (method !== 'POST') return send(req, res, started, 0, errorReply(405, 'method not allowed', 'method_not_allowed', { Allow: 'POST' }), {}, !smallBody);
    if (!authorized(req)) return send(req, res, started, 0, errorReply(401, 'unauthorized', 'unauthorized'), {}, !smallBody);
    if (!jsonContentType(req)) {
      return send(req, res, started, 0, errorReply(415, 'content-type must be application/json', 'bad_content_type'), {}, !smallBody);
    }
    if (declared !== undefined) {
      if (!/^[0-9]{1,15}$/.test(declared)) return send(req, res, started, 0, errorReply(400, 'bad content-length', 'bad_content_length'), {}, true);
      if (Number(declared) > limits.maxBodyBytes) {
        // a body up to 8x the cap is discarded so the client reads the 413 (closing with
        // unread bytes would reset the connection under it); anything larger closes
        const linger = Number(declared) <= 8 * limits.maxBodyBytes;
        return send(req, res, started, 0, errorReply(413, 'body too large', 'body_too_large'), {}, !linger);
      }
    }
    if (draining) return send(req, res, started, 0, errorReply(503, 'shutting down', 'draining', { 'Retry-After': '5' }), {}, true);

    const read = await readBody(req);
    if (read.kind === 'aborted') return;
    if (read.kind === 'too_large') {
      return send(req, res, started, read.bytes, errorReply(413, 'body too large', 'body_too_large'), {}, true);
    }
    const bytesIn = read.body.length;
    const parsed = parseInput(route, read.body);
    if ('status' in parsed) return send(req, res, started, bytesIn, parsed);

    if (active >= concurrency) return send(req, res, started, bytesIn, errorReply(503, 'busy', 'busy', { 'Retry-After': '1' }));
    active++;
    try {
      const result = await executor.run({ route, input: parsed.input, timeoutMs: timeoutFor(route), maxOutputBytes: limits.maxOutputBytes });
      if (result.kind === 'timeout') return send(req, res, started, bytesIn, errorReply(504, 'script timeout', 'script_timeout'));
      const truncated = result.stdoutTruncated || result.stderrTruncated;
      send(
        req,
        res,
        started,
        bytesIn,
        {
          status: 200,
          reason: truncated ? 'ok_truncated' : 'ok',
          body: {
            ok: result.exitCode === 0,
            exit_code: result.exitCode,
            stdout: result.stdout.toString('utf8'),
            stderr: result.stderr.toString('utf8'),
            truncated,
          },
        },
        {
          exit_code: result.exitCode,
          stdout_sha256_16: createHash('sha256').update(result.stdout).digest('hex').slice(0, 16),
          truncated,
        },
      );
    } catch {
      send(req, res, started, bytesIn, errorReply(500, 'exec failed', 'exec_failed'));
    } finally {
      active--;
      if (active === 0) idle.splice(0).forEach((f) => f());
    }
  }

  // the request in progress on each socket: a parse error after it was dispatched
  // (bad chunk, request timeout, a malformed pipelined request) is answered through it
  const inflight = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse; started: number }>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const entry = { req, res, started: performance.now() };
    inflight.set(req.socket, entry);
    const clear = () => {
      if (inflight.get(req.socket) === entry) inflight.delete(req.socket);
    };
    res.on('finish', clear);
    res.on('close', clear);
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  // idle connections that never send a byte are not covered by headersTimeout
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, limits.headersTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });

  // malformed requests never reach 'request': answer them here, on the raw socket
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const code = err.code ?? '';
    if (code === 'ECONNRESET' || code === 'EPIPE') return void socket.destroy();
    let status = 400;
    let reason = 'bad_request';
    let error = 'bad request';
    if (code === 'HPE_HEADER_OVERFLOW') [status, reason, error] = [431, 'headers_too_large', 'headers too large'];
    else if (code === 'HPE_INVALID_CONTENT_LENGTH' || code === 'HPE_UNEXPECTED_CONTENT_LENGTH') [reason, error] = ['bad_content_length', 'bad content-length'];
    else if (code === 'ERR_HTTP_REQUEST_TIMEOUT') [status, reason, error] = [408, 'request_timeout', 'request timeout'];

    const current = inflight.get(socket);
    if (current) {
      const { req, res, started } = current;
      if (!req.complete && !res.headersSent) {
        closing.add(socket);
        return send(req, res, started, 0, errorReply(status, error, reason), {}, true);
      }
      // the dispatched request is fine; the bytes after it are not: answer it, then close
      closing.add(socket);
      res.once('finish', () => socket.destroy());
      return;
    }
    let bytesOut = 0;
    if (socket.writable) {
      const data = JSON.stringify({ ok: false, error });
      bytesOut = data.length;
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json\r\nContent-Length: ${data.length}\r\nConnection: close\r\n\r\n${data}`,
        () => socket.destroy(),
      );
    } else {
      socket.destroy();
    }
    audit({
      time: new Date().toISOString(),
      route: 'unknown',
      method: '-',
      status: bytesOut > 0 ? status : 0,
      reason,
      duration_ms: 0,
      peer: socket.remoteAddress ?? '',
      bytes_in: 0,
      bytes_out: bytesOut,
    });
  });

  return {
    server,
    get active() {
      return active;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address();
          if (addr === null || typeof addr === 'string') return reject(new Error('no TCP address'));
          resolve({ host: addr.address, port: addr.port });
        });
      });
    },
    async drain() {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (active > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, limits.drainTimeoutMs);
          timer.unref();
          idle.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      executor.killAll();
      // let the last responses flush, then drop whatever is left
      setTimeout(() => server.closeAllConnections(), 200).unref();
      await closed;
    },
  };
}

function methodName(m: string | undefined): string {
  return m && /^[A-Z]{1,16}$/.test(m) ? m : 'other';
}
