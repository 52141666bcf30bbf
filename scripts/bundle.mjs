// Bundle the CLI and the pieces that ship into the stack's images into CommonJS files
// under dist/ (a SEA main script must be CommonJS). Every dependency is inlined.
import { readFileSync, existsSync, copyFileSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/** entry -> outfile; optional entries are bundled only once their source exists */
const entries = [
  ['src/cli.ts', 'dist/cli.cjs'],
  ['src/bridge/main.ts', 'dist/bridge.cjs'],
  ['src/bridge/client-main.ts', 'dist/bridge-client.cjs'],
  ['src/query/main.ts', 'dist/query-runner.cjs'],
];

/** the route table, embedded in the bridge bundles as exactly one line for drift checks */
async function routesLine() {
  const r = await build({ entryPoints: ['src/stack/model.ts'], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
  const { routes } = await import(`data:text/javascript;base64,${Buffer.from(r.outputFiles[0].text).toString('base64')}`);
  return `//# oss-routes ${JSON.stringify(routes)}`;
}
const routesFooter = await routesLine();
const footers = { 'dist/bridge.cjs': routesFooter, 'dist/bridge-client.cjs': routesFooter };

/**
 * The CLI reads WebAssembly from its shipped files (dist/<name>.wasm; an asset inside the
 * single executable) when the command that needs it runs, instead of carrying it inline:
 * base64 in the bundle is parsed on every start, even `oss --help` (~2.3 MB, ~15 ms).
 * The bundles that ship into images keep their wasm inline (one file each).
 */
const wasmFromShippedFile = {
  name: 'wasm-from-shipped-file',
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'shipped-wasm' };
    });
    b.onLoad({ filter: /.*/, namespace: 'shipped-wasm' }, (args) => {
      const rel = `dist/${basename(args.path)}`;
      mkdirSync('dist', { recursive: true });
      copyFileSync(args.path, rel);
      return {
        contents: `import { readBinaryAsset } from ${JSON.stringify(resolve('src/assets.ts'))};\nexport default new Uint8Array(readBinaryAsset(${JSON.stringify(rel)}));\n`,
        loader: 'ts',
        resolveDir: resolve('.'),
      };
    });
  },
};

/**
 * Start-up stays flat as commands grow: dist/cli.cjs holds commander and the command table
 * only; every `load: () => import('./x')` of src/commands/table.ts becomes a stub that loads
 * dist/commands.cjs (all command modules, their dependencies) when a command runs.
 */
const commandSpecifiers = new Set();
const commandStubs = {
  name: 'command-stubs',
  setup(b) {
    b.onResolve({ filter: /^\.\// }, (args) => {
      if (args.kind !== 'dynamic-import' || !args.importer.endsWith(join('src', 'commands', 'table.ts'))) return undefined;
      commandSpecifiers.add(args.path);
      return { path: args.path, namespace: 'command-stub' };
    });
    b.onLoad({ filter: /.*/, namespace: 'command-stub' }, (args) => ({
      contents: `import { loadCommand } from ${JSON.stringify(resolve('src/runtime/command-bundle.ts'))};
export async function run(opts, args) { return (await loadCommand(${JSON.stringify(args.path)})).run(opts, args); }
`,
      loader: 'js',
      resolveDir: resolve('.'),
    }));
  },
};

function bundle(options) {
  const out = options.outfile;
  return build({
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    // import.meta is empty in CJS output; point import.meta.url at the bundle file
    define: { 'import.meta.url': '__importMetaUrl', __OSS_VERSION__: JSON.stringify(version) },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    ...(footers[out] ? { footer: { js: footers[out] } } : {}),
    // libpg-query's WebAssembly parser is embedded as bytes (src/query/pg-parser.ts):
    // the bundles and the single executable then need no file beside them
    loader: { '.wasm': 'binary' },
    logLevel: 'warning',
    ...options,
  });
}

await bundle({ entryPoints: ['src/cli.ts'], outfile: 'dist/cli.cjs', plugins: [commandStubs] });
const commandsEntry = `export const commands = {
${[...commandSpecifiers].map((s) => `  ${JSON.stringify(s)}: () => import(${JSON.stringify(s)}),`).join('\n')}
};
`;
await Promise.all([
  bundle({
    stdin: { contents: commandsEntry, resolveDir: resolve('src/commands'), sourcefile: 'commands-entry.ts', loader: 'ts' },
    outfile: 'dist/commands.cjs',
    plugins: [wasmFromShippedFile],
  }),
  ...entries
    .filter(([src, out]) => out !== 'dist/cli.cjs' && existsSync(src))
    .map(([src, out]) => bundle({ entryPoints: [src], outfile: out })),
]);

// A V8 code cache of dist/commands.cjs for the Node running this script, trained on init and
// verify --static (as the single binary's is): `node bin/oss` then skips compiling 2 MB of
// JavaScript on every command. Named by Node version; any other Node ignores it.
{
  const { execFileSync } = await import('node:child_process');
  const { readdirSync, rmSync } = await import('node:fs');
  for (const f of readdirSync('dist')) if (f.endsWith('.v8cache')) rmSync(`dist/${f}`);
  execFileSync(process.execPath, ['scripts/build-binary-cache.cjs', 'dist/commands.cjs', `dist/commands.cjs.${process.version}.v8cache`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NO_COLOR: '1' },
  });
}
