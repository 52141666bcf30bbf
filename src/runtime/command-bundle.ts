// The built CLI is two bundles: dist/cli.cjs (commander and the command table: all that
// `oss --help` and `--version` run) and dist/commands.cjs (every command module with its
// dependencies). Start-up then costs the same however large the commands grow: the big
// bundle is read and compiled only when a command runs. scripts/bundle.mjs wires each
// `load: () => import('./x')` of the table to loadCommand('./x'); from source (tests)
// the table's dynamic imports run as written and this file is not used.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';
import * as sea from 'node:sea';
import { readAsset } from '../assets';

export interface CommandModule {
  run: (opts: Record<string, unknown>, args: string[]) => Promise<number>;
}

type CommandsBundle = { commands: Record<string, () => Promise<CommandModule>> };

const BUNDLE = 'dist/commands.cjs';
let bundle: CommandsBundle | undefined;

function inSea(): boolean {
  try {
    return sea.isSea();
  } catch {
    return false;
  }
}

function loadBundle(): CommandsBundle {
  if (!inSea()) return createRequire(import.meta.url)(fileURLToPath(new URL(`../${BUNDLE}`, import.meta.url))) as CommandsBundle;
  // inside the single executable the bundle is an asset; it requires only Node built-ins
  const filename = join(dirname(process.execPath), BUNDLE);
  const wrapper = compileFunction(readAsset(BUNDLE), ['exports', 'require', 'module', '__filename', '__dirname'], { filename });
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
