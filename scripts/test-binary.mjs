// Runs the command-level tests (**/*.cli.test.ts) and the executable's own tests
// (test/binary/*.sea-test.ts) against the single executable: OSS_BIN=build/oss.
//   npm run build:binary && npm run test:binary [-- vitest args]
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = process.env.OSS_BIN ? resolve(process.env.OSS_BIN) : fileURLToPath(new URL('../build/oss', import.meta.url));
process.chdir(fileURLToPath(new URL('..', import.meta.url)));
try {
  accessSync(bin, constants.X_OK);
} catch {
  process.stderr.write(`test-binary: error: ${bin} is missing or not executable\nhint: run \`npm run build:binary\` first\n`);
  process.exit(2);
}
// some command-level tests read the bundles (dist/) as fixtures; keep them current
const bundle = spawnSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
if (bundle.status !== 0) process.exit(bundle.status ?? 1);
const r = spawnSync('npx', ['vitest', 'run', '--config', 'test/binary/vitest.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, OSS_BIN: bin },
});
process.exit(r.status ?? 1);
