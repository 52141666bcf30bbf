// The built CLI is two bundles: dist/cli.cjs (commander and the command table: all that
// `oss --help` and `--version` run) and dist/commands.cjs (every command module with its
// dependencies). Start-up then costs the same however large the commands grow: the big
// bundle is read and compiled only when a command runs. scripts/bundle.mjs wires each
// `load: () => import('./x')` of the table to loadCommand('./x'); from source (tests)
// the table's dynamic imports run as written and this file is not used.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import * as sea from 'node:sea';
import { readAsset } from '../assets';

export interface CommandModule {
  run: (opts: Record<string, unknown>, args: string[]) => Promise<number>;
}

type CommandsBundle = { commands: Record<string, () => Promise<CommandModule>> };

const BUNDLE = 'dist/commands.cjs';
/** SEA-only asset written by scripts/build-binary.mjs */
export const CODE_CACHE_ASSET = 'sea/commands.cjs.v8cache';
let bundle: CommandsBundle | undefined;

function inSea(): boolean {
  try {
    return sea.isSea();
  } catch {
    return false;
  }
}

/** the CommonJS wrapper; scripts/build-binary.mjs makes its V8 code cache from the same text */
export function wrapCommonJs(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

/** whether V8 took the build-time code cache of dist/commands.cjs (self-test reports it) */
export const CODE_CACHE_STATE = Symbol.for('oss.commands.codeCache');

function seaCodeCache(): Buffer | undefined {
  try {
    return Buffer.from(sea.getAsset(CODE_CACHE_ASSET) as ArrayBuffer);
  } catch {
    return undefined;
  }
}

/**
 * `node bin/oss`: the bundle from dist/, with the code cache scripts/bundle.mjs made for
 * this exact Node version when there is one (V8 rejects a cache that does not match its
 * version or the source, and then simply compiles).
 */
function loadFromDisk(): CommandsBundle {
  const filename = fileURLToPath(new URL(`../${BUNDLE}`, import.meta.url));
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${filename}.${process.version}.v8cache`);
  } catch {
    return createRequire(import.meta.url)(filename) as CommandsBundle;
  }
  const script = new Script(wrapCommonJs(readFileSync(filename, 'utf8')), { filename, cachedData });
  (process as unknown as Record<symbol, string>)[CODE_CACHE_STATE] = script.cachedDataRejected ? 'rejected' : 'accepted';
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = { exports: {} as CommandsBundle };
  wrapper(mod.exports, createRequire(filename), mod, filename, dirname(filename));
  return mod.exports;
}

function loadBundle(): CommandsBundle {
  if (!inSea()) return loadFromDisk();
  // inside the single executable the bundle is an asset; it requires only Node built-ins.
  // Its code cache saves the ~20 ms compile of 2 MB on every command run.
  const filename = join(dirname(process.execPath), BUNDLE);
  const cachedData = seaCodeCache();
  const script = new Script(wrapCommonJs(readAsset(BUNDLE)), { filename, cachedData });
  (process as unknown as Record<symbol, string>)[CODE_CACHE_STATE] = !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const mod = { exports: {} as CommandsBundle };
  wrapper(mod.exports, require, mod, filename, dirname(filename));
  return mod.exports;
}

export async function loadCommand(specifier: string): Promise<CommandModule> {
  bundle ??= loadBundle();
  const load = bundle.commands[specifier];
  if (!load) throw new Error(`command module ${specifier} is not in ${BUNDLE}; rebuild with npm run bundle`);
  return load();
}
