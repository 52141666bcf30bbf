// The initial openclaw.json: exactly the hardened state `oss harden` enforces for the
// gateway container (src/openclaw/desired.ts), so a fresh stack starts hardened and
// harden has nothing to change in the config. No secret value: tokens are file
// secret references to the compose secrets mounted at /run/secrets.
import { desiredState } from '../openclaw/desired';
import { containerTarget } from '../openclaw/target';
import type { Settings } from '../stack/settings';

/** {"a.b": 1, "a.c": 2} -> {a: {b: 1, c: 2}} */
function expandDotted(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    const keys = path.split('.');
    let cur = out;
    for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
    cur[keys[keys.length - 1]!] = value;
  }
  return out;
}

export function openclawConfig(settings: Settings): Record<string, unknown> {
  // host-side paths of the target are not used here; only what the gateway sees
  return expandDotted(desiredState(containerTarget('.'), settings).exact);
}

export function renderOpenclawConfig(settings: Settings): string {
  return `${JSON.stringify(openclawConfig(settings), null, 2)}\n`;
}
