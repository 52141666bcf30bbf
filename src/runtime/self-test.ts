// Proves this oss executable works on this machine: every shipped file is readable,
// child processes start (execa), progress output works without a TTY (ora).
// The same code runs from the repo (node bin/oss) and inside the single executable.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import * as sea from 'node:sea';
import { listAssets, readBinaryAsset } from '../assets';

export interface AssetEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface SelfTestReport {
  ok: boolean;
  version: string;
  node: string;
  sea: boolean;
  assets: AssetEntry[];
  templates: number;
  /** V8 code cache of the command bundle inside the single executable */
  codeCache: 'accepted' | 'rejected' | 'none' | 'not-sea';
  spawn: { ok: boolean; detail: string };
  progress: { ok: boolean; detail: string };
}

function isSea(): boolean {
  try {
    return sea.isSea();
  } catch {
    return false;
  }
}

async function checkSpawn(): Promise<{ ok: boolean; detail: string }> {
  const { execa } = await import('execa');
  const marker = 'oss-self-test';
  try {
    const r = await execa('sh', ['-c', 'printf "%s" "$0"', marker], { timeout: 10_000 });
    return r.stdout === marker ? { ok: true, detail: 'sh ran via execa' } : { ok: false, detail: `sh printed ${JSON.stringify(r.stdout)}` };
  } catch (err) {
    return { ok: false, detail: (err as Error).message };
  }
}

/** ora with a non-TTY stream must draw no frames and still print the final line */
async function checkProgress(): Promise<{ ok: boolean; detail: string }> {
  const { default: ora } = await import('ora');
  let written = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      written += chunk.toString();
      done();
    },
  });
  const spinner = ora({ stream: sink as unknown as NodeJS.WriteStream, isEnabled: false, text: 'probing' });
  spinner.start();
  spinner.succeed('probe done');
  const ok = written.includes('probe done') && !written.includes('\u001b[1A');
  return { ok, detail: ok ? 'ora printed plain lines' : `ora wrote ${JSON.stringify(written.slice(0, 200))}` };
}

export async function selfTest(version: string): Promise<SelfTestReport> {
  const assets = listAssets().map((path) => {
    const data = readBinaryAsset(path);
    return { path, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  });
  const templates = assets.filter((a) => a.path.startsWith('templates/')).length;
  const [spawn, progress] = [await checkSpawn(), await checkProgress()];
  return {
    ok: spawn.ok && progress.ok && templates > 0,
    version,
    node: process.version,
    sea: isSea(),
    codeCache: isSea() ? ((process as unknown as Record<symbol, SelfTestReport['codeCache']>)[Symbol.for('oss.commands.codeCache')] ?? 'none') : 'not-sea',
    assets,
    templates,
    spawn,
    progress,
  };
}
