// Titles of the checklist's controls (SPEC section 4) and the two extra groups.
export const controlTitles: Record<string, string> = {
  '1': 'gateway published on loopback only',
  '2': 'gateway has no Docker socket and no docker CLI',
  '3': 'bridge scripts are single-purpose',
  '4': 'codex is non-interactive',
  '5': 'deploy is staging-only',
  '6': 'DB access is read-only, time- and row-bounded',
  '7': 'Telegram configured before it is enabled',
  '8': 'every exposed credential rotated',
  '9': 'bridge behaves',
  '10': 'the gateway LLM is treated as adversarial',
  C: 'container hardening (compose)',
  S: 'secrets at rest',
};

export const controlTitle = (c: string | number): string => controlTitles[String(c)] ?? `control ${c}`;
