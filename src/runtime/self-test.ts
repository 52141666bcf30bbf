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

function capture(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let written = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      written += chunk.toString();
      done();
    },
  });
  if (tty) {
    // the tty.WriteStream surface ora uses, answered with the ANSI a terminal would get
    const ansi = (seq: string) => {
      written += seq;
      return true;
    };
    Object.assign(sink, {
      isTTY: true,
      columns: 80,
      rows: 24,
      cursorTo: (x: number) => ansi(`\u001b[${x + 1}G`),
      moveCursor: (dx: number, dy: number) => ansi(dy < 0 ? `\u001b[${-dy}A` : dy > 0 ? `\u001b[${dy}B` : ''),
      clearLine: () => ansi('\u001b[2K'),
      clearScreenDown: () => ansi('\u001b[0J'),
    });
  }
  return { stream: sink as unknown as NodeJS.WriteStream, text: () => written };
}

/**
 * ora, as src/ui/output.ts drives it: without a TTY it draws no frames and still prints
 * the final line; on a (simulated, 80-column) TTY it animates and then settles.
 */
async function checkProgress(): Promise<{ ok: boolean; detail: string }> {
  const { default: ora } = await import('ora');
  const plain = capture(false);
  const quiet = ora({ stream: plain.stream, isEnabled: false, text: 'probing' });
  quiet.start();
  quiet.succeed('probe done');
  // no frames: nothing that moves the cursor or clears a line (colour codes may appear)
  if (!plain.text().includes('probe done') || /\u001b\[\d*[AGK]/.test(plain.text())) {
    return { ok: false, detail: `ora without a TTY wrote ${JSON.stringify(plain.text().slice(0, 200))}` };
  }
  const tty = capture(true);
  const spinner = ora({ stream: tty.stream, isEnabled: true, discardStdin: false, hideCursor: false, interval: 10, text: 'probing' });
  spinner.start();
  await new Promise((r) => setTimeout(r, 60));
  spinner.succeed('probe done');
  const frames = tty.text().split('probing').length - 1;
  const ok = frames >= 2 && tty.text().includes('probe done');
  return {
    ok,
    detail: ok ? `ora printed plain lines without a TTY and animated on one (${frames} frames)` : `ora on a TTY wrote ${JSON.stringify(tty.text().slice(0, 200))}`,
  };
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
