// The delivery mechanism rotation relies on, on the real Docker engine: a compose file
// secret is bound when the container starts. After an atomic replace (rename) a running
// container still reads the OLD value; `docker compose restart` (what set-key and
// rotate-secrets call) makes it read the new one. Nothing reaches Config.Env.
// Own project and container names (never the stack's fixed ones).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerController } from '../../src/secrets/services';
import { ensureSecretDir, generateToken, writeSecretAt } from '../../src/secrets/store';
import type { ServiceKey } from '../../src/stack/model';

function dockerReady(): string | null {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 20_000 });
    execFileSync('docker', ['image', 'inspect', 'local/busybox:latest'], { stdio: 'pipe', timeout: 20_000 });
    return null;
  } catch (err) {
    return `Docker engine or local/busybox image not available (run scripts/setup-docker.sh): ${(err as Error).message.split('\n')[0]}`;
  }
}

const missing = dockerReady();
if (missing && process.env.CI) throw new Error(missing);
if (missing) console.warn(`skipping file-secret e2e: ${missing}`);

describe.skipIf(!!missing)('compose file secrets and atomic replace (real engine)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oss-filesecret-'));
  const project = `oss-secrets-e2e-${randomBytes(4).toString('hex')}`;
  const compose = (...args: string[]) => execFileSync('docker', ['compose', '--project-directory', dir, '-f', join(dir, 'docker-compose.yml'), ...args], { encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
  const readInside = () => compose('exec', '-T', 'reader', 'cat', '/run/secrets/tok');
  const first = generateToken();
  const second = generateToken();

  beforeAll(() => {
    ensureSecretDir(join(dir, 'secrets'));
    writeSecretAt(join(dir, 'secrets/tok'), first);
    const uid = process.getuid?.() === 0 ? '1000:1000' : `${process.getuid?.()}:${process.getgid?.()}`;
    writeFileSync(
      join(dir, 'docker-compose.yml'),
      `name: ${project}
services:
  reader:
    image: local/busybox:latest
    pull_policy: never
    command: ["sh", "-c", "sleep 100000"]
    user: "${uid}"
    init: true
    network_mode: none
    read_only: true
    secrets: [tok]
secrets:
  tok:
    file: ./secrets/tok
`,
    );
    compose('up', '-d');
  }, 120_000);

  afterAll(() => {
    try {
      compose('down', '-v', '--remove-orphans', '-t', '1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a running container keeps the old value after the file is replaced; a restart loads the new one', async () => {
    expect(readInside()).toBe(first);
    writeSecretAt(join(dir, 'secrets/tok'), second);
    // the bind mount still points at the old inode: this is why consumers must restart (check 8.31)
    expect(readInside()).toBe(first);
    await dockerController(dir).restart('reader' as ServiceKey);
    expect(readInside()).toBe(second);
    const env = execFileSync('docker', ['inspect', '--format', '{{json .Config.Env}}', `${project}-reader-1`], { encoding: 'utf8' });
    expect(env).not.toContain(first);
    expect(env).not.toContain(second);
  }, 120_000);
});
