// Runs the oss CLI as a user would. OSS_BIN selects the executable under test
// (e.g. build/oss, the single binary); by default the bundle via bin/oss.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface OssResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOssOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

export function ossCommand(): { file: string; prefix: string[] } {
  const bin = process.env.OSS_BIN;
  if (bin) return { file: bin, prefix: [] };
  return { file: process.execPath, prefix: [`${repoRoot}bin/oss`] };
}

export function runOss(args: string[], opts: RunOssOptions = {}): Promise<OssResult> {
  const { file, prefix } = ossCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...prefix, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

export { repoRoot };
