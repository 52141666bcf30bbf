import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { GENERATED_TOKEN_BYTES, secretPath, secrets } from '../../src/stack/model';

const HEX = new RegExp(`^[0-9a-f]{${GENERATED_TOKEN_BYTES * 2}}$`);

export default defineCheck({
  id: '8.2',
  control: 8,
  title: 'Generated tokens are full-strength and distinct from every other secret',
  severity: 'high',
  needs: ['files'],
  rationale: `The bridge and gateway tokens are ${GENERATED_TOKEN_BYTES} random bytes (hex). A hand-edited short token, or one token reused for both (or for an API key), means one leak opens two doors and a rotation of one leaves the other valid.`,
  remediation: 'Run `oss rotate-secrets --dir <dir>` (generates fresh, distinct tokens and restarts their consumers).',
  run(ctx) {
    const values = ctx.files.secretValues();
    const out: Evidence[] = [];
    for (const s of secrets.filter((x) => x.source === 'generated')) {
      const file = secretPath(s.name);
      const v = ctx.files.text(file) ?? undefined;
      if (v === undefined || v === '') {
        out.push({ file, found: v === undefined ? 'missing' : 'empty', expected: `${GENERATED_TOKEN_BYTES * 2} hex characters`, message: `${s.name} is ${v === undefined ? 'missing' : 'empty'}` });
        continue;
      }
      // describe the shape, never the value
      if (!HEX.test(v)) out.push({ file, found: `${v.length} characters${/^[0-9a-f]*$/.test(v) ? ' of hex' : ', not all lower-case hex'}`, expected: `${GENERATED_TOKEN_BYTES * 2} hex characters`, message: `${s.name} is not a full-strength generated token` });
      for (const o of secrets) {
        // one finding per pair: a pair of generated tokens is reported from the first name
        if (o.name === s.name || (values.get(o.name) ?? ctx.files.text(secretPath(o.name))) !== v || (o.source === 'generated' && o.name < s.name)) continue;
        out.push({ file, found: `same value as ${secretPath(o.name)}`, expected: 'a value of its own', message: `${s.name} and ${o.name} share one value` });
      }
    }
    return verdict(out, 'generated tokens are full-strength and distinct');
  },
});
