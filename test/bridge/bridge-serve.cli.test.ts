// `oss bridge serve` as a user runs it: bad input is exit 2 naming the problem (never
// the token), a served bridge answers real HTTP, writes audit lines, and drains on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ossCommand, runOss } from '../helpers/run-oss';
import { TOKEN, modeFile, post, rawRequest } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'oss-bridge-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string, mode = 0o600) => modeFile(dir, name, content, mode);

const tokenFile = file('token', `${TOKEN}\n`);
const commands = file('commands.json', JSON.stringify({ 'run-codex': ['/bin/cat'], 'deploy-staging': ['/bin/echo', 'deployed'], 'query-readonly': ['/bin/sh', '-c', 'sleep 0.5; cat'] }), 0o644);

describe('oss bridge serve', () => {
  it('documents itself with examples', async () => {
    const r = await runOss(['bridge', 'serve', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--token-file');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).not.toContain('--route-timeout-ms');
  });

  const bad: [string, string[], RegExp][] = [
    ['no token file option', ['--commands', commands], /--token-file is required/],
    ['a missing token file', ['--token-file', join(dir, 'absent'), '--commands', commands], /absent.*cannot be read/],
    ['a world-readable token file', ['--token-file', file('loose', TOKEN, 0o644), '--commands', commands], /group or others.*\n.*chmod 600/],
    ['a short token', ['--token-file', file('short', 'tooshort'), '--commands', commands], /shorter than 32/],
    ['a bad port', ['--token-file', tokenFile, '--commands', commands, '--port', '99999'], /--port must be a port/],
    ['a bad concurrency', ['--token-file', tokenFile, '--commands', commands, '--concurrency', '0'], /concurrency must be/],
    ['a commands file missing a route', ['--token-file', tokenFile, '--commands', file('partial.json', '{"run-codex":["/bin/cat"]}')], /"deploy-staging" must be a non-empty array/],
    ['a commands file with an unknown route', ['--token-file', tokenFile, '--commands', file('extra.json', '{"shell":["/bin/sh"]}')], /unknown route\(s\) shell/],
    ['a bad --docker', ['--token-file', tokenFile, '--docker', 'not a host'], /--docker must be host:port/],
  ];
  for (const [name, args, message] of bad) {
    it(`refuses ${name} (exit 2)`, async () => {
      const r = await runOss(['bridge', 'serve', '--port', '0', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
    });
  }

  it('serves, audits on stdout, and drains a running execution on SIGTERM', async () => {
    const { file: bin, prefix } = ossCommand();
    const child = spawn(bin, [...prefix, 'bridge', 'serve', '--port', '0', '--token-file', tokenFile, '--commands', commands, '--json'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no listening line; stderr: ${stderr}`)), 15000);
        child.stdout.on('data', (d) => {
          stdout += d;
          const first = stdout.split('\n')[0]!;
          if (stdout.includes('\n')) {
            clearTimeout(t);
            resolve(JSON.parse(first).listening.port);
          }
        });
      });
      const ok = await rawRequest(port, post('/run-codex', JSON.stringify({ prompt: 'cli hello' })));
      expect(JSON.parse(ok.body)).toEqual({ ok: true, exit_code: 0, stdout: 'cli hello', stderr: '', truncated: false });
      const slow = rawRequest(port, post('/query-readonly', JSON.stringify({ query: 'select 1' })));
      await new Promise((r) => setTimeout(r, 150));
      child.kill('SIGTERM');
      const drained = await slow;
      expect(drained.status).toBe(200);
      expect(JSON.parse(drained.body).stdout).toBe('select 1');
      expect(await exited).toBe(0);
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(lines[0].listening).toMatchObject({ host: '127.0.0.1', executor: 'local', concurrency: 4 });
      expect(lines.slice(1).map((l) => [l.route, l.status])).toEqual([['/run-codex', 200], ['/query-readonly', 200]]);
      expect(stdout).not.toContain('cli hello');
      expect(stdout + stderr).not.toContain(TOKEN);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
