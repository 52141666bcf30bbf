// The bridge's templates, rendered by the real renderer: the gateway wrapper scripts run
// for real (sh) against a real bridge, the codex worker entry against a stub `codex`,
// the deploy entry as is, and the bridge Dockerfile's shape.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/render/template';
import { templateVars } from '../../src/render/vars';
import { bridge, codex, gateway, routes } from '../../src/stack/model';
import { defaultSettings } from '../../src/stack/settings';
import { repoRoot } from '../helpers/run-oss';
import { TOKEN, runProgram, startBridge, type RunningBridge } from './helpers';

const vars = templateVars(defaultSettings(), { dockerSocketGid: 999 });
const template = (name: string) => readFileSync(join(repoRoot, 'templates', name), 'utf8');
const render = (name: string, overrides: Record<string, string> = {}) => renderTemplate(name, template(name), { ...vars, ...overrides });

const run = runProgram;

const tmp = mkdtempSync(join(tmpdir(), 'oss-bridge-tpl-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('gateway wrapper scripts', () => {
  let b: RunningBridge;
  const configDir = join(tmp, 'openclaw');
  beforeAll(async () => {
    b = await startBridge();
    mkdirSync(configDir);
    copyFileSync(join(repoRoot, 'dist', bridge.clientFile), join(configDir, bridge.clientFile));
    writeFileSync(join(tmp, 'token'), TOKEN, { mode: 0o600 });
    for (const r of routes) {
      writeFileSync(join(configDir, r.wrapperScript), render(`gateway/${r.wrapperScript}`, { 'gateway.configDir': configDir }), { mode: 0o755 });
    }
  });
  afterAll(() => b.close());
  const env = () => ({ OSS_BRIDGE_URL: `http://127.0.0.1:${b.port}`, OSS_BRIDGE_TOKEN_FILE: join(tmp, 'token') });

  it('exist for every route and call the client by the model path with the route name', () => {
    for (const r of routes) {
      const text = render(`gateway/${r.wrapperScript}`);
      expect(text.startsWith('#!/bin/sh\n')).toBe(true);
      expect(text).toContain(`exec node ${gateway.configDir}/${bridge.clientFile} ${r.name}`);
      expect(text).not.toMatch(/curl|wget|docker|eval/);
    }
  });

  it('forward the argument verbatim (no word splitting, no expansion) and the exit code', async () => {
    const nasty = `a  b "c" $(touch ${tmp}/pwned) \`id\` ; *`;
    const r = await run(join(configDir, 'run-codex.sh'), [nasty], { env: env() });
    expect(r).toEqual({ code: 0, stdout: nasty, stderr: '' });
    const q = await run(join(configDir, 'query-readonly.sh'), ['select 1'], { env: env() });
    expect(q.code).toBe(3);
    expect(q.stdout).toBe('select 1');
    expect(() => readFileSync(join(tmp, 'pwned'))).toThrow();
  });

  it('deploy-staging.sh runs with no argument and refuses any argument without calling the bridge', async () => {
    const ok = await run(join(configDir, 'deploy-staging.sh'), [], { env: env() });
    expect(ok).toEqual({ code: 0, stdout: 'deployed\n', stderr: '' });
    const before = b.audit.length;
    const refused = await run(join(configDir, 'deploy-staging.sh'), ['--target=prod'], { env: env() });
    expect(refused.code).toBe(2);
    expect(b.audit.length).toBe(before);
  });
});

describe('codex worker entry (oss-run-codex)', () => {
  const dir = join(tmp, 'codex');
  const bin = join(dir, 'bin');
  const workspace = join(dir, 'workspace');
  const preamble = join(dir, 'preamble.md');
  const entry = join(dir, 'oss-run-codex');
  beforeAll(() => {
    mkdirSync(bin, { recursive: true });
    mkdirSync(workspace);
    writeFileSync(preamble, 'PREAMBLE: stay in the workspace.\n\n');
    // a stand-in codex: reports argv, cwd and stdin
    writeFileSync(join(bin, 'codex'), '#!/bin/sh\necho "argv:$*"\necho "cwd:$(pwd)"\necho "stdin:"\ncat\nexit 5\n', { mode: 0o755 });
    writeFileSync(entry, render('codex-worker/oss-run-codex', { 'codex.preamblePath': preamble, 'codex.workspace': workspace }), { mode: 0o755 });
  });
  const runEntry = (input: string) => run(entry, [], { input, env: { PATH: `${bin}:${process.env.PATH}` } });

  it('renders the model preamble path and workspace and the codex argv', () => {
    const text = render('codex-worker/oss-run-codex');
    expect(text).toContain(`const PREAMBLE = '${codex.preamblePath}';`);
    expect(text).toContain(`const WORKSPACE = '${vars['codex.workspace']}';`);
    expect(text).toContain(`const CODEX_ARGS = ${JSON.stringify([...codex.execArgs, '-']).replace(/"/g, "'").replace(/,/g, ', ')};`);
    expect(text).toContain(`const MAX_CHARS = ${routes.find((r) => r.name === 'run-codex')!.maxInputChars};`);
    const timeoutSec = Number(/TIMEOUT_MS = (\d+) \* 1000/.exec(text)?.[1]);
    expect(timeoutSec).toBeLessThan(routes.find((r) => r.name === 'run-codex')!.timeoutSec);
  });

  it('prepends the preamble, feeds codex on stdin in the workspace, passes its exit code', async () => {
    const r = await runEntry('fix the failing test; $(rm -rf /)');
    expect(r.code).toBe(5);
    expect(r.stdout).toBe(`argv:${codex.execArgs.join(' ')} -\ncwd:${workspace}\nstdin:\nPREAMBLE: stay in the workspace.\nfix the failing test; $(rm -rf /)`);
  });

  it('rejects an empty prompt and one over 4000 characters, and counts characters not bytes', async () => {
    expect((await runEntry('   ')).code).toBe(2);
    const long = await runEntry('x'.repeat(4001));
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('4000 character limit');
    expect(long.stdout).toBe('');
    expect((await runEntry('é'.repeat(4000))).code).toBe(5);
  });

  it('fails closed without its preamble: codex never runs', async () => {
    rmSync(preamble);
    const r = await runEntry('hello');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('preamble');
    expect(r.stdout).toBe('');
    writeFileSync(preamble, '\n\n');
    expect((await runEntry('hello')).code).toBe(3);
  });
});

describe('deploy runner entry (oss-deploy-staging)', () => {
  const entry = join(tmp, 'oss-deploy-staging');
  beforeAll(() => writeFileSync(entry, render('deploy-runner/oss-deploy-staging'), { mode: 0o755 }));

  it('runs fixed staging steps, takes no input, has no production path', async () => {
    const r = await run(entry, [], { input: 'target=prod\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('target=staging');
    expect(r.stdout).not.toContain('prod');
    expect(readFileSync(entry, 'utf8')).not.toMatch(/prod/i);
    const withArgs = await run(entry, ['production']);
    expect(withArgs.code).toBe(2);
    expect(withArgs.stdout).toBe('');
  });
});

describe('bridge Dockerfile', () => {
  it('is node slim plus the bundle, non-root, no local-command mode', () => {
    const text = render('bridge/Dockerfile', { 'images.node': 'node:24-bookworm-slim' });
    expect(text).toMatch(/^FROM node:24-bookworm-slim$/m);
    expect(text).toMatch(/^COPY bridge\.cjs \/app\/bridge\.cjs$/m);
    expect(text).toMatch(/^USER 1000:1000$/m);
    expect(text).toMatch(/^CMD \["node", "\/app\/bridge\.cjs"\]$/m);
    expect(text).not.toMatch(/--commands|OSS_BRIDGE_COMMANDS/);
    expect(template('bridge/Dockerfile')).toContain('FROM {{images.node}}');
  });

  it('the container entry has no --commands switch at all', async () => {
    const r = await run(process.execPath, [join(repoRoot, 'dist/bridge.cjs'), '--commands', '/tmp/x.json']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unknown option '--commands'/);
  });

  it('the container entry refuses to start without a usable token file', async () => {
    const f = join(tmp, 'loose-token');
    writeFileSync(f, TOKEN);
    chmodSync(f, 0o644);
    const r = await run(process.execPath, [join(repoRoot, 'dist/bridge.cjs'), '--token-file', f, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('group or others');
    expect(r.stderr).not.toContain(TOKEN);
  });
});
