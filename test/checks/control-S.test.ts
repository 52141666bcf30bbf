import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { expectCaught, verifyStatic, type Mutation } from './harness';
import { cleanupStacks, editOpenclaw, hardenedStack, override, read, replaceOnce, secretValue, write } from '../verify/fixture';
import { isIgnored, parseGitignore } from '../../checks/S/S.2-secrets-git-ignored';

afterAll(cleanupStacks);
const OC = 'gateway/config/openclaw.json';
const OV = 'docker-compose.override.yml';
const isRoot = process.getuid?.() === 0;

const cases: [string, Mutation][] = [
  ['S.1', { name: 'a world-readable secret', mutate: (d) => chmodSync(join(d, 'secrets/bridge_token'), 0o644), evidence: { file: 'secrets/bridge_token', found: '0644', expected: '0600' } }],
  ['S.1', { name: 'an open secrets dir', mutate: (d) => chmodSync(join(d, 'secrets'), 0o755), evidence: { file: 'secrets', found: '0755' } }],
  ['S.1', { name: 'a missing secret file', mutate: (d) => require('node:fs').rmSync(join(d, 'secrets/db_dsn')), evidence: { file: 'secrets/db_dsn', message: /missing/ } }],
  ['S.2', { name: 'secrets not ignored', mutate: (d) => replaceOnce(d, '.gitignore', /^secrets\/$/m, ''), evidence: { file: '.gitignore', message: /not git-ignored/ } }],
  [
    'S.2',
    {
      name: 'a secret committed to git',
      mutate: (d) => {
        const git = (...a: string[]) => execFileSync('git', ['-C', d, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { stdio: 'ignore' });
        git('init', '-q');
        git('add', '-f', 'secrets/bridge_token');
        git('commit', '-q', '-m', 'oops');
      },
      evidence: { file: 'secrets/bridge_token', found: 'tracked by git' },
    },
  ],
  [
    'S.3',
    {
      name: 'a token pasted into oss.yaml',
      mutate: (d) => write(d, 'oss.yaml', `${read(d, 'oss.yaml')}# gateway token: ${secretValue(d, 'gateway_token')}\n`),
      evidence: { file: 'oss.yaml', found: 'the value of secrets/gateway_token', line: 'any' },
    },
  ],
  [
    'S.3',
    {
      name: 'the bot token in a world-readable note',
      mutate: (d) => writeFileSync(join(d, 'codex-worker/notes.txt'), `bot=${secretValue(d, 'telegram_bot_token')}\n`, { mode: 0o644 }),
      evidence: { file: 'codex-worker/notes.txt', line: 1, message: /telegram_bot_token and is world-readable/ },
    },
  ],
  ['S.4', { name: 'OpenClaw backups left behind', mutate: (d) => { write(d, `${OC}.bak.1`, '{}'); write(d, `${OC}.last-good`, '{}'); }, evidence: { file: `${OC}.last-good` } }],
  ['S.5', { name: 'a temp file from an interrupted write', mutate: (d) => writeFileSync(join(d, 'secrets/.bridge_token.tmp-4242-deadbeef'), 'x', { mode: 0o600 }), evidence: { file: 'secrets/.bridge_token.tmp-4242-deadbeef' } }],
  ['S.6', { name: 'a secret taken from the environment', mutate: (d) => override(d, 'secrets:\n  bridge_token: !override { environment: BRIDGE_TOKEN }\n'), evidence: { path: 'secrets.bridge_token', message: /environment variable/, file: OV } }],
  ['S.6', { name: 'the gateway receives the codex key', mutate: (d) => override(d, 'services:\n  gateway:\n    secrets: [codex_api_key]\n'), evidence: { found: 'codex_api_key', message: /does not use/ } }],
  ['S.6', { name: 'a secret read from outside secrets/', mutate: (d) => override(d, 'secrets:\n  gateway_token:\n    file: ./gateway/token\n'), evidence: { path: 'secrets.gateway_token.file', found: './gateway/token' } }],
  ['S.7', { name: 'a plaintext gateway token', mutate: (d) => editOpenclaw(d, (o) => (o.gateway.auth.token = 'a-plaintext-token-that-is-not-the-file')), evidence: { file: OC, path: 'gateway.auth.token', found: 'a plaintext value', line: 'any' } }],
  ['S.7', { name: 'no gateway auth', mutate: (d) => editOpenclaw(d, (o) => (o.gateway.auth = { mode: 'none' })), evidence: { path: 'gateway.auth.mode', found: '"none"' } }],
  ['S.7', { name: 'a plaintext model API key', mutate: (d) => editOpenclaw(d, (o) => (o.models = { providers: { openai: { apiKey: 'sk-another-plaintext-key-123' } } })), evidence: { path: 'models.providers.openai.apiKey' } }],
];

describe.each(cases)('%s catches', (id, m) => {
  test(m.name, async () => {
    await expectCaught(id, m);
  });
});

test.runIf(isRoot)('S.1 catches a secret owned by another user (root only)', async () => {
  await expectCaught('S.1', { name: 'foreign owner', mutate: (d) => chownSync(join(d, 'secrets/gateway_token'), 4242, 4242), evidence: { found: 'uid 4242' } });
});

test('S.3 names the file and the secret, never the value, in every output', async () => {
  const d = hardenedStack();
  const value = secretValue(d, 'gateway_token');
  editOpenclaw(d, (o) => (o.gateway.auth.token = value));
  const report = await verifyStatic(d);
  const s3 = report.results.find((r) => r.id === 'S.3')!;
  expect(s3.status).toBe('fail');
  expect(s3.evidence.some((e) => e.file === OC && e.found === 'the value of secrets/gateway_token')).toBe(true);
  expect(JSON.stringify(report)).not.toContain(value);
});

test('gitignore matching follows git (dir patterns, negation, anchoring)', () => {
  const rules = parseGitignore('secrets/\n/gateway/config/*\n!gateway/config/.keep\n*.bak\n');
  expect(isIgnored('secrets/bridge_token', rules)).toBe(true);
  expect(isIgnored('gateway/config/openclaw.json', rules)).toBe(true);
  expect(isIgnored('gateway/config/.keep', rules)).toBe(false);
  expect(isIgnored('a/b/x.bak', rules)).toBe(true);
  expect(isIgnored('secrets', parseGitignore('secrets/\n'))).toBe(false); // a file named secrets is not a dir
  expect(isIgnored('secrets/x', parseGitignore('secrets/\n!secrets/x\n'))).toBe(true); // cannot re-include below an ignored dir
  mkdirSync; // keep import used
});
