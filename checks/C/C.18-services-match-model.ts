import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { namesOf } from '../../src/verify/compose';
import { show } from '../../src/verify/check-helpers';
import { networks, serviceKeys, services } from '../../src/stack/model';

export default defineCheck({
  id: 'C.18',
  control: 'C',
  title: "The project's services and their networks are exactly the model's",
  severity: 'high',
  needs: ['files'],
  rationale: 'An extra service (from an override file or an edit) runs outside every rule above, and a service on another network reaches what it should not; the stack is the model, nothing more.',
  remediation: 'Remove services the model does not define and restore each service\'s networks (re-run `oss init --force`; delete stray override files).',
  run(ctx) {
    const compose = ctx.files.compose();
    const out: Evidence[] = [];
    const present = compose.services();
    if (compose.data.include !== undefined) {
      out.push(compose.at(['include'], { found: 'include:', expected: 'no included compose files', message: 'the project includes other compose files (their services are checked too, but they are not part of the rendered stack)' }));
    }
    for (const s of present) {
      if (s.svc.network_mode !== undefined) {
        out.push(compose.at(['services', s.name, 'network_mode'], { found: show(s.svc.network_mode), expected: 'the service on its model networks', message: `service ${s.name} uses network_mode ${String(s.svc.network_mode)} instead of its networks` }));
      }
      if (s.svc.extends !== undefined) {
        out.push(compose.at(['services', s.name, 'extends'], { found: show(s.svc.extends), expected: 'absent', message: `service ${s.name} extends another definition, which oss does not resolve: its effective settings are unverified` }));
      }
      if (!s.key) {
        out.push(compose.at(['services', s.name], { found: s.name, expected: serviceKeys.join(', '), message: `service ${s.name} is not part of the hardened stack` }));
        continue;
      }
      if (s.svc.container_name !== undefined && s.svc.container_name !== services[s.key].containerName) {
        out.push(compose.at(['services', s.name, 'container_name'], { found: show(s.svc.container_name), expected: services[s.key].containerName, message: `service ${s.name} has another container name` }));
      }
      const want = services[s.key].networks;
      const got = namesOf(s.svc.networks).map((n) => compose.networkKey(n) ?? n);
      const extra = got.filter((n) => !want.includes(n as never));
      const missing = want.filter((n) => !got.includes(n));
      if (s.svc.network_mode === undefined && (extra.length || missing.length)) {
        out.push(
          compose.at(['services', s.name, 'networks'], {
            found: got.length ? got.join(', ') : 'default network',
            expected: want.map((n) => networks[n].name).join(', '),
            message: `service ${s.name} networks differ from the model${extra.length ? ` (extra: ${extra.join(', ')})` : ''}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`,
          }),
        );
      }
    }
    for (const k of serviceKeys) {
      if (!present.some((s) => s.key === k)) out.push(compose.at(['services'], { found: 'absent', expected: k, message: `service ${k} is missing` }));
    }
    return verdict(out, `${serviceKeys.length} services, each on its model networks`);
  },
});
