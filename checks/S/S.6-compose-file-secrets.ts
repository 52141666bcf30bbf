import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { isObject, namesOf, normalizeHostPath } from '../../src/verify/compose';
import { show } from '../../src/verify/check-helpers';
import { SECRETS_DIR, secretPath, secrets, services, type SecretName } from '../../src/stack/model';

export default defineCheck({
  id: 'S.6',
  control: 'S',
  title: 'Each service gets exactly its own secrets, as files from secrets/',
  severity: 'high',
  needs: ['files'],
  rationale: 'A compose secret is a file mounted at /run/secrets/<name>. Declared from anything but its secrets/ file (an environment variable, another path) it escapes the 0600 file; mounted on another service it widens who holds it (the gateway must never hold the codex key).',
  remediation: `Declare each secret as {file: ./${SECRETS_DIR}/<name>} and give every service only the secrets the model lists for it (\`oss init --force\`).`,
  run(ctx) {
    const compose = ctx.files.compose();
    const out: Evidence[] = [];
    const declared = isObject(compose.data.secrets) ? compose.data.secrets : {};
    for (const [name, def] of Object.entries(declared)) {
      const file = isObject(def) ? def.file : undefined;
      const want = secrets.some((s) => s.name === name) ? secretPath(name as SecretName) : null;
      if (typeof file !== 'string') {
        out.push(compose.at(['secrets', name], { found: show(def), expected: `file: ./${want ?? `${SECRETS_DIR}/${name}`}`, message: `secret ${name} is not read from a file${isObject(def) && def.environment ? ' (it comes from an environment variable)' : ''}` }));
      } else if (normalizeHostPath(`/${file}`) !== `/${want ?? `${SECRETS_DIR}/${name}`}`) {
        out.push(compose.at(['secrets', name, 'file'], { found: file, expected: `./${want ?? `${SECRETS_DIR}/${name}`}`, message: `secret ${name} is read from outside the secrets dir` }));
      }
    }
    for (const s of compose.services()) {
      const got = namesOf(s.svc.secrets);
      const want: string[] = s.key ? services[s.key].secrets : [];
      for (const g of got) if (!want.includes(g)) out.push(compose.at(['services', s.name, 'secrets'], { found: g, expected: want.join(', ') || 'none', message: `service ${s.name} receives secret ${g}, which it does not use` }));
      for (const w of want) if (!got.includes(w)) out.push(compose.at(['services', s.name, 'secrets'], { found: got.join(', ') || 'none', expected: w, message: `service ${s.name} does not receive its secret ${w}` }));
    }
    return verdict(out, 'secrets wired as files, least privilege');
  },
});
