import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { environmentEntries } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';
import { ENV_ALLOWLIST_SERVICES, services } from '../../src/stack/model';

/** a value that looks like a credential: long random-looking tokens or well-known key prefixes */
export function looksLikeSecret(v: string): boolean {
  const s = v.trim();
  if (/^(sk-|sk_live_|xox[abp]-|ghp_|gho_|github_pat_|AKIA|AIza|glpat-)/.test(s)) return true;
  if (/^\d{6,12}:[A-Za-z0-9_-]{30,}$/.test(s)) return true; // Telegram bot token
  if (/^[A-Fa-f0-9]{32,}$/.test(s)) return true;
  if (/^[A-Za-z0-9+/_=-]{32,}$/.test(s) && /[0-9]/.test(s) && /[A-Za-z]/.test(s)) return true;
  if (/^postgres(ql)?:\/\/[^:/]+:[^@]+@/.test(s)) return true;
  return false;
}

export default defineCheck({
  id: 'C.15',
  control: 'C',
  title: 'Environment is an allowlist with no secrets; no env_file on the gateway or bridge',
  severity: 'high',
  needs: ['files'],
  rationale:
    'The original stack handed the gateway a whole env file. Everything in a container\'s environment is visible to `docker inspect`, every child process and an agent that can print its environment; secrets come as files under /run/secrets instead.',
  remediation: `Remove env_file from ${ENV_ALLOWLIST_SERVICES.join(' and ')}, keep only the model's variables (e.g. gateway: ${services.gateway.envAllowlist.join(', ')}), and move credentials to secrets/<name> (\`oss set-key\`).`,
  run: (ctx) => {
    const secretValues = [...ctx.files.secretValues().entries()].filter(([, v]) => v.length >= 8);
    return verdict(
      eachService(ctx, (s) => {
        const out: Evidence[] = [];
        if (s.svc.env_file !== undefined && (s.key === undefined || ENV_ALLOWLIST_SERVICES.includes(s.key))) {
          out.push(s.at(['env_file'], { found: show(s.svc.env_file), expected: 'absent', message: `service ${s.name} loads an env file instead of an allowlist` }));
        }
        const allow = s.key ? services[s.key].envAllowlist : [];
        for (const e of environmentEntries(s.svc.environment)) {
          if (!allow.includes(e.key)) out.push(s.at(['environment', e.index], { found: e.key, expected: allow.length ? `one of ${allow.join(', ')}` : 'no environment variables', message: `service ${s.name} receives ${e.key}, which is not on its allowlist` }));
          if (e.value === null) {
            if (allow.includes(e.key)) out.push(s.at(['environment', e.index], { found: `${e.key} (passed through from the host)`, expected: `${e.key}=<value>`, message: `service ${s.name} takes ${e.key} from the caller's environment` }));
            continue;
          }
          const hit = secretValues.find(([, v]) => e.value!.includes(v));
          if (hit) out.push(s.at(['environment', e.index], { found: `value of secrets/${hit[0]}`, expected: 'no secret in the environment', message: `service ${s.name} has the secret ${hit[0]} in ${e.key}` }));
          else if (looksLikeSecret(e.value)) out.push(s.at(['environment', e.index], { found: `${e.key}=<a credential-like value>`, expected: 'no secret in the environment', message: `service ${s.name}: ${e.key} looks like a credential` }));
        }
        return out;
      }),
      'environment allowlists hold, no secrets in env',
    );
  },
});
