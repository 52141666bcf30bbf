// The passing fixture is the hardened render of `oss init` (initStack in-process: the same
// code, templates and bundles as the CLI; run `node scripts/bundle.mjs` first) in a fresh
// temp dir. Helpers below apply one mutation each.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initStack } from '../../src/render/init-stack';
import { createHash } from 'node:crypto';
import { layout } from '../../src/stack/layout';

const dirs: string[] = [];

/** a freshly initialised, hardened stack dir */
const templates = new Map<string, string>();

/** a freshly initialised, hardened stack dir (rendered once per test file, then copied) */
export function hardenedStack(opts: { telegramIds?: string[] } = {}): string {
  const key = JSON.stringify(opts);
  let template = templates.get(key);
  if (!template) {
    template = renderFresh(opts);
    templates.set(key, template);
  }
  const root = mkdtempSync(join(tmpdir(), 'oss-verify-'));
  dirs.push(root);
  const dir = join(root, 'stack');
  cpSync(template, dir, { recursive: true, preserveTimestamps: true });
  return dir;
}

/** `oss init` in-process into a new temp dir */
export function renderFresh(opts: { telegramIds?: string[] } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'oss-verify-'));
  dirs.push(root);
  const dir = join(root, 'stack');
  initStack({ dir, host: { dockerSocketGid: 999 }, overrides: opts.telegramIds ? { telegramIds: opts.telegramIds } : undefined });
  // operator secrets start empty; give them values so the plaintext checks have something to find
  for (const [name, value] of Object.entries(operatorSecrets)) {
    writeFileSync(join(dir, 'secrets', name), value, { mode: 0o600 });
    chmodSync(join(dir, 'secrets', name), 0o600);
  }
  return dir;
}

export const operatorSecrets = {
  openai_api_key: 'sk-test-0123456789abcdefOPENAIKEY',
  codex_api_key: 'sk-test-codex-9876543210fedcbaKEY',
  telegram_bot_token: '123456789:AAH-testtokenvalue-abcdefghijklmnopq',
};

export function cleanupStacks(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export const read = (dir: string, rel: string) => readFileSync(join(dir, rel), 'utf8');
export const write = (dir: string, rel: string, text: string) => writeFileSync(join(dir, rel), text);
export const exists = (dir: string, rel: string) => existsSync(join(dir, rel));

/** replace exactly one occurrence (fails loudly when the render changed under the test) */
export function replaceOnce(dir: string, rel: string, from: string | RegExp, to: string): void {
  const text = read(dir, rel);
  const count = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from.source, `${from.flags.replace('g', '')}g`)) ?? []).length;
  if (count !== 1) throw new Error(`fixture: expected one match of ${String(from)} in ${rel}, found ${count}`);
  write(dir, rel, text.replace(from, to));
}

export function editJson(dir: string, rel: string, edit: (o: Record<string, any>) => void): void {
  const o = JSON.parse(read(dir, rel)) as Record<string, any>;
  edit(o);
  write(dir, rel, `${JSON.stringify(o, null, 2)}\n`);
}

export const editOpenclaw = (dir: string, edit: (o: Record<string, any>) => void) => editJson(dir, layout.gateway.openclawConfig, edit);

/** write a compose override file (what `docker compose` would load on top) */
export function override(dir: string, yaml: string, name = 'docker-compose.override.yml'): void {
  write(dir, name, yaml);
}

export function secretValue(dir: string, name: string): string {
  return read(dir, `secrets/${name}`).trim();
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
