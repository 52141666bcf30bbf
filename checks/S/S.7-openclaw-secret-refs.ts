import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { atOpenclaw, getPath, isObject, show } from '../../src/verify/check-helpers';
import { CONTAINER_SECRETS_DIR } from '../../src/stack/model';
import type { Json } from '../../src/verify/compose';
import type { KeyPath } from '../../src/verify/yaml-source';

const SECRET_KEY = /(token|apikey|api_key|password|secret|botToken)$/i;

function isRef(v: unknown): v is { source: string; provider: string; id: string } {
  return isObject(v) && typeof v.source === 'string' && ['env', 'file', 'exec'].includes(v.source) && typeof v.provider === 'string' && typeof v.id === 'string';
}

export default defineCheck({
  id: 'S.7',
  control: 'S',
  title: 'openclaw.json holds secret references, never secret values',
  severity: 'critical',
  needs: ['files'],
  rationale: 'OpenClaw copies openclaw.json into backups on every write and the agent has been seen reading it. With token auth through a file secret reference there is nothing in the config to leak.',
  remediation: `Set gateway.auth = {mode: "token", token: {source: "file", provider: <id>, id: "value"}} with secrets.providers.<id> = {source: "file", path: "${CONTAINER_SECRETS_DIR}/gateway_token", mode: "singleValue"}, and put other credentials in secret files the same way (\`oss init --force\`, then \`oss rotate-secrets\`).`,
  run(ctx) {
    const src = ctx.files.openclaw();
    const out: Evidence[] = [];
    const auth = ['gateway', 'auth'];
    const mode = getPath(src.data, [...auth, 'mode']);
    if (mode !== 'token') out.push(atOpenclaw(src, [...auth, 'mode'], { found: show(mode as Json), expected: '"token"', message: 'the gateway does not require its token' }));
    const token = getPath(src.data, [...auth, 'token']);
    if (!isRef(token)) {
      out.push(atOpenclaw(src, [...auth, 'token'], { found: typeof token === 'string' ? 'a plaintext value' : show(token as Json), expected: 'a secret reference {source, provider, id}', message: 'gateway.auth.token is not a secret reference' }));
    } else if (token.source === 'file') {
      const p = getPath(src.data, ['secrets', 'providers', token.provider]);
      const path = isObject(p) ? p.path : undefined;
      if (!isObject(p) || p.source !== 'file' || typeof path !== 'string' || !path.startsWith(`${CONTAINER_SECRETS_DIR}/`)) {
        out.push(atOpenclaw(src, ['secrets', 'providers', token.provider], { found: show(p as Json), expected: `a file provider under ${CONTAINER_SECRETS_DIR}/`, message: `secret provider ${token.provider} does not read a compose file secret` }));
      }
    }
    // any other credential-named key holding a literal string is plaintext
    const walk = (v: unknown, path: KeyPath) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (isObject(v)) {
        for (const [k, x] of Object.entries(v)) {
          const p = [...path, k];
          if (typeof x === 'string' && SECRET_KEY.test(k) && x.length >= 8 && !/^\$\{[A-Z0-9_]+\}$/.test(x)) {
            out.push(atOpenclaw(src, p, { found: 'a plaintext value', expected: 'a secret reference', message: `${p.join('.')} holds a plaintext credential` }));
          } else walk(x, p);
        }
      }
    };
    walk(src.data, []);
    return verdict(out, 'token auth through a secret reference; no plaintext credentials');
  },
});
