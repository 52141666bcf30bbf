// Bundle the CLI and the pieces that ship into the stack's images into CommonJS files
// under dist/ (a SEA main script must be CommonJS). Every dependency is inlined.
import { readFileSync, existsSync } from 'node:fs';
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

await Promise.all(
  entries
    .filter(([src]) => existsSync(src))
    .map(([src, out]) =>
      build({
        entryPoints: [src],
        outfile: out,
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
      }),
    ),
);
