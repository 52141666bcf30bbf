// The red-team mock model over real HTTP on loopback: the script step follows the tool
// results after the last real user message, streamed (SSE) and plain JSON both work.
import { afterEach, describe, expect, it } from 'vitest';
import { MOCK_DONE, nextStep, startMockModel, type MockModel } from '../../src/openclaw/redteam/mock-model';

let mock: MockModel | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const script = [
  { name: 'read', args: { path: '/x/openclaw.json' } },
  { name: 'exec', args: { command: 'cat /etc/passwd' } },
];

async function chat(body: object): Promise<Response> {
  return fetch(`${mock!.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('mock OpenAI-compatible model', () => {
  it('counts tool results after the last real user message, skipping internal context', () => {
    const internal = { role: 'user', content: '<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>> x' };
    expect(nextStep([{ role: 'user', content: 'hi' }])).toBe(0);
    expect(nextStep([{ role: 'user', content: 'hi' }, { role: 'assistant' }, { role: 'tool' }, internal])).toBe(1);
    expect(nextStep([{ role: 'tool' }, { role: 'user', content: 'again' }])).toBe(0);
  });

  it('answers step by step over HTTP and records OpenClaw\'s tool results', async () => {
    mock = await startMockModel(script);
    expect(mock.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const models = (await (await fetch(`${mock.baseUrl}/models`)).json()) as any;
    expect(models.data[0].id).toBe('mock-model');

    const first: any = await (await chat({ messages: [{ role: 'user', content: 'go' }], tools: [{ type: 'function', function: { name: 'exec' } }] })).json();
    expect(first.choices[0].message.tool_calls[0].function).toEqual({ name: 'read', arguments: JSON.stringify(script[0]!.args) });

    const sse = await chat({
      stream: true,
      messages: [{ role: 'user', content: 'go' }, { role: 'assistant' }, { role: 'tool', tool_call_id: 'callmock0', content: 'Tool read not found' }],
    });
    expect(sse.headers.get('content-type')).toBe('text/event-stream');
    const text = await sse.text();
    expect(text).toContain('"name":"exec"');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);

    const done: any = await (await chat({ messages: [{ role: 'user', content: 'go' }, { role: 'tool' }, { role: 'tool' }] })).json();
    expect(done.choices[0].message.content).toBe(MOCK_DONE);

    expect(mock.requests.map((r) => r.step)).toEqual([0, 1, 2]);
    expect(mock.requests[0]!.offeredTools).toEqual(['exec']);
    expect(mock.requests[1]!.toolResults).toEqual([{ step: 0, content: 'Tool read not found' }]);
  });

  it('refuses bad JSON and unknown routes, and stops after its request budget', async () => {
    mock = await startMockModel(script, { maxRequests: 1 });
    const bad = await fetch(`${mock.baseUrl}/chat/completions`, { method: 'POST', body: '{' });
    expect(bad.status).toBe(400);
    expect((await fetch(`${mock.baseUrl}/nope`)).status).toBe(404);
    expect((await chat({ messages: [] })).status).toBe(200);
    expect((await chat({ messages: [] })).status).toBe(429);
  });
});
