// A scripted OpenAI-compatible model on loopback. Whatever the prompt, each chat request
// is answered with the next tool call of a fixed script, chosen by how many tool results
// follow the last real user message (OpenClaw appends synthetic user messages marked
// BEGIN_OPENCLAW_INTERNAL_CONTEXT after tool results; those do not count). Every request
// is kept, so the tool results OpenClaw's runtime sent back can be read afterwards.

export const MOCK_MODEL_ID = 'mock-model';
export const MOCK_DONE = 'MOCK-DONE';

export interface ToolCall {
  name: string;
  args: Record<string, unknown>;
}

export interface ToolResult {
  /** script step the result answers (from the call id) */
  step: number;
  content: string;
}

export interface MockRequest {
  n: number;
  step: number;
  offeredTools: string[];
  toolResults: ToolResult[];
}

export interface MockModel {
  baseUrl: string;
  port: number;
  requests: MockRequest[];
  close(): Promise<void>;
}

type Msg = { role?: string; content?: unknown; tool_call_id?: string };

/** tool results after the last real user message = the script step to answer */
export function nextStep(messages: Msg[]): number {
  const text = (c: unknown): string =>
    typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => (typeof p === 'string' ? p : ((p as { text?: string }).text ?? ''))).join('') : c == null ? '' : JSON.stringify(c);
  let lastUser = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user' && !text(m.content).includes('BEGIN_OPENCLAW_INTERNAL_CONTEXT')) lastUser = i;
  });
  return messages.slice(lastUser + 1).filter((m) => m.role === 'tool').length;
}

export interface MockOptions {
  host?: string;
  maxRequests?: number;
  /** print each request record (and a ready line) as JSON on stdout: the container transport reads them */
  printRequests?: boolean;
  /** exit the process after this long without a request (container transport) */
  idleExitMs?: number;
}

/**
 * Self-contained on purpose (no reference outside its body, builtins through
 * process.getBuiltinModule): the container transport ships its source text into the
 * gateway container and runs it there with that container's node.
 */
export async function startMockModel(script: readonly ToolCall[], opts: MockOptions = {}): Promise<MockModel> {
  const http = process.getBuiltinModule('node:http') as typeof import('node:http');
  const host = opts.host ?? '127.0.0.1';
  const maxRequests = opts.maxRequests ?? 100;
  const modelId = 'mock-model';
  const done = 'MOCK-DONE';
  const requests: MockRequest[] = [];
  const text = (c: unknown): string =>
    typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => (typeof p === 'string' ? p : ((p as { text?: string }).text ?? ''))).join('') : c == null ? '' : JSON.stringify(c);
  // count tool results after the last real user message (same rule as nextStep above)
  const stepOf = (messages: Msg[]): number => {
    let lastUser = -1;
    messages.forEach((m, i) => {
      if (m.role === 'user' && !text(m.content).includes('BEGIN_OPENCLAW_INTERNAL_CONTEXT')) lastUser = i;
    });
    return messages.slice(lastUser + 1).filter((m) => m.role === 'tool').length;
  };
  // `call_mock_N` comes back from OpenClaw as `callmockN`
  const callStep = (id: string | undefined): number => {
    const m = /(\d+)$/.exec(id ?? '');
    return m ? Number(m[1]) : -1;
  };
  let idle: ReturnType<typeof setTimeout> | undefined;
  const bumpIdle = () => {
    if (!opts.idleExitMs) return;
    clearTimeout(idle);
    idle = setTimeout(() => process.exit(0), opts.idleExitMs);
  };

  const send = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    const s = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
    res.end(s);
  };

  const handle = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, raw: string) => {
    const url = (req.url ?? '').split('?')[0]!;
    if (req.method === 'GET' && url.endsWith('/models')) {
      return send(res, 200, { object: 'list', data: [{ id: modelId, object: 'model', owned_by: 'oss-redteam' }] });
    }
    if (req.method !== 'POST' || !url.endsWith('/chat/completions')) return send(res, 404, { error: { message: `no route ${req.method} ${url}` } });
    if (requests.length >= maxRequests) return send(res, 429, { error: { message: 'mock request budget exhausted' } });
    let body: { messages?: Msg[]; tools?: { function?: { name?: string }; name?: string }[]; stream?: boolean };
    try {
      body = JSON.parse(raw || '{}');
    } catch {
      return send(res, 400, { error: { message: 'bad json' } });
    }
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const step = stepOf(messages);
    const record: MockRequest = {
      n: requests.length + 1,
      step,
      offeredTools: (body.tools ?? []).map((t) => t.function?.name ?? t.name ?? '?'),
      toolResults: messages.filter((m) => m.role === 'tool').map((m) => ({ step: callStep(m.tool_call_id), content: text(m.content) })),
    };
    requests.push(record);
    if (opts.printRequests) process.stdout.write(`${JSON.stringify({ request: record })}\n`);
    const id = `chatcmpl-oss-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const s = script[step];
    const call = s ? { index: 0, id: `call_mock_${step}`, type: 'function', function: { name: s.name, arguments: JSON.stringify(s.args) } } : undefined;
    if (!body.stream) {
      const message = call ? { role: 'assistant', content: null, tool_calls: [{ ...call, index: undefined }] } : { role: 'assistant', content: done };
      return send(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: modelId,
        choices: [{ index: 0, message, finish_reason: call ? 'tool_calls' : 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const base = { id, object: 'chat.completion.chunk', created, model: modelId };
    const ev = (o: object) => res.write(`data: ${JSON.stringify({ ...base, ...o })}\n\n`);
    if (call) {
      ev({ choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [call] }, finish_reason: null }] });
      ev({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
    } else {
      ev({ choices: [{ index: 0, delta: { role: 'assistant', content: done }, finish_reason: null }] });
      ev({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    }
    ev({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    res.end('data: [DONE]\n\n');
  };

  const server = http.createServer((req, res) => {
    bumpIdle();
    let raw = '';
    let size = 0;
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      size += d.length;
      if (size > 8 * 1024 * 1024) req.destroy();
      else raw += d;
    });
    req.on('end', () => handle(req, res, raw));
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as import('node:net').AddressInfo).port;
  bumpIdle();
  if (opts.printRequests) process.stdout.write(`${JSON.stringify({ ready: port, pid: process.pid })}\n`);
  return {
    baseUrl: `http://${host}:${port}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(idle);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
