import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    {
      // `import bytes from '….wasm'` (src/query/pg-parser.ts): esbuild embeds the bytes in
      // the bundles (loader binary); under vitest the module reads them from disk
      name: 'oss-wasm-bytes',
      enforce: 'pre',
      load(id) {
        if (!id.endsWith('.wasm')) return undefined;
        return `import { readFileSync } from 'node:fs';\nexport default new Uint8Array(readFileSync(${JSON.stringify(id)}));\n`;
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts', 'checks/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    server: { deps: { inline: [/\.wasm$/] } },
  },
});
