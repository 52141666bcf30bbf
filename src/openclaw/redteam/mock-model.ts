// A scripted OpenAI-compatible model on loopback. Whatever the prompt, each chat request
// is answered with the next tool call of a fixed script, chosen by how many tool results
// follow the last real user message (OpenClaw appends synthetic user messages marked
// BEGIN_OPENCLAW_INTERNAL_CONTEXT after tool results; those do not count). Every request
// is kept, so the tool results OpenClaw's runtime sent back can be read afterwards.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

function text(c: unknown): string {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (typeof p === 'string' ? p : ((p as { text?: string }).text ?? ''))).join('');
  return c == null ? '' : JSON.stringify(c);
}

/** tool results after the last real user message = the script step to answer */
export function nextStep(messages: Msg[]): number {
  let lastUser = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user' && !text(m.content).includes('BEGIN_OPENCLAW_INTERNAL_CONTEXT')) lastUser = i;
  });
  return messages.slice(lastUser + 1).filter((m) => m.role === 'tool').length;
}

/** `call_mock_N` comes back from OpenClaw as `callmockN` */
function stepOfCallId(id: string | undefined): number {
  const m = /(\d+)$/.exec(id ?? '');
  return m ? Number(m[1]) : -1;
}

const MAX_BODY = 8 * 1024 * 1024;

export async function startMockModel(script: readonly ToolCall[], opts: { host?: string; maxRequests?: number } = {}): Promise<MockModel> {
  const host = opts.host ?? '127.0.0.1';
  const maxRequests = opts.maxRequests ?? 100;
  const requests: MockRequest[] = [];

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const s = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
    res.end(s);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = (req.url ?? '').split('?')[0]!;
    if (req.method === 'GET' && url.endsWith('/models')) {
      return send(res, 200, { object: 'list', data: [{ id: MOCK_MODEL_ID, object: 'model', owned_by: 'oss-redteam' }] });
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
    const step = nextStep(messages);
    requests.push({
      n: requests.length + 1,
      step,
      offeredTools: (body.tools ?? []).map((t) => t.function?.name ?? t.name ?? '?'),
      toolResults: messages.filter((m) => m.role === 'tool').map((m) => ({ step: stepOfCallId(m.tool_call_id), content: text(m.content) })),
    });
    const id = `chatcmpl-oss-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const s = script[step];
    const call = s
      ? { index: 0, id: `call_mock_${step}`, type: 'function', function: { name: s.name, arguments: JSON.stringify(s.args) } }
      : undefined;
    if (!body.stream) {
      const message = call ? { role: 'assistant', content: null, tool_calls: [{ ...call, index: undefined }] } : { role: 'assistant', content: MOCK_DONE };
      return send(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: MOCK_MODEL_ID,
        choices: [{ index: 0, message, finish_reason: call ? 'tool_calls' : 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const base = { id, object: 'chat.completion.chunk', created, model: MOCK_MODEL_ID };
    const ev = (o: object) => res.write(`data: ${JSON.stringify({ ...base, ...o })}\n\n`);
    if (call) {
      ev({ choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [call] }, finish_reason: null }] });
      ev({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
    } else {
      ev({ choices: [{ index: 0, delta: { role: 'assistant', content: MOCK_DONE }, finish_reason: null }] });
      ev({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    }
    ev({ choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    res.end('data: [DONE]\n\n');
  };

  const server = createServer((req, res) => {
    let raw = '';
    let size = 0;
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      size += d.length;
      if (size > MAX_BODY) {
        req.destroy();
        return;
      }
      raw += d;
    });
    req.on('end', () => handle(req, res, raw));
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://${host}:${port}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
