import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { dockerView } from '../../src/docker/verify-provider';
import { describeProbe, SELECT_MARKER, type RouteCall } from '../../src/docker/live';
import { services } from '../../src/stack/model';

interface BridgeAnswer {
  ok?: boolean;
  exit_code?: number;
  stdout?: string;
}

function answer(c: RouteCall): BridgeAnswer {
  try {
    return JSON.parse(c.result.body ?? '') as BridgeAnswer;
  } catch {
    return {};
  }
}

/** what each call must show; null when it does */
function problem(c: RouteCall): string | null {
  const s = c.result.status;
  const a = answer(c);
  switch (c.name) {
    case 'healthz':
      return s === 200 ? null : `expected HTTP 200, got ${describeProbe(c.result)}`;
    case 'noToken':
      return s === 401 ? null : `expected HTTP 401, got ${describeProbe(c.result)}`;
    case 'select':
      return s === 200 && a.ok === true && (a.stdout ?? '').includes(SELECT_MARKER) ? null : `expected HTTP 200 with ok and the column ${SELECT_MARKER}, got ${describeProbe(c.result)} ok=${String(a.ok)} exit=${String(a.exit_code)}`;
    case 'update':
      return s !== undefined && !(s === 200 && a.ok === true) ? null : `expected a refusal, got ${describeProbe(c.result)} ok=${String(a.ok)}`;
    case 'deploy':
      return s === 200 && a.ok === true && a.exit_code === 0 ? null : `expected HTTP 200 with exit 0, got ${describeProbe(c.result)} exit=${String(a.exit_code)}`;
    case 'emptyPrompt':
      return s !== undefined && !(s === 200 && a.ok === true) ? null : `expected a refusal, got ${describeProbe(c.result)} ok=${String(a.ok)}`;
  }
}

export default defineCheck({
  id: '9.32',
  control: 9,
  title: 'The bridge behaves, called from the gateway container',
  severity: 'high',
  needs: ['docker', 'network'],
  rationale: 'The original checked by hand, from the gateway: healthz 200, no token 401, a SELECT round-trips, an UPDATE is rejected, the zero-argument deploy runs, an empty prompt is rejected. These calls take the real path: gateway -> bridge -> socket proxy -> worker (and the database).',
  remediation: 'Read the failing call below; `docker logs openclaw-bridge` has one audit line per request. Re-run `oss init` and `oss up` if the bridge or a worker differs from the render.',
  async run({ live }) {
    const calls = await (await dockerView(live)).bridgeCalls;
    const out: Evidence[] = [];
    for (const c of calls) {
      const p = problem(c);
      if (p) out.push({ found: p, expected: c.description, message: `${c.description}: no (from ${services.gateway.containerName})` });
    }
    return verdict(out, calls.map((c) => `${c.description}: ${describeProbe(c.result)}`).join('; '));
  },
});
