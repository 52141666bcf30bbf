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
// no re-bundling here: dist/ must stay the bundles build:binary embedded (tests compare them)
const r = spawnSync('npx', ['vitest', 'run', '--config', 'test/binary/vitest.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, OSS_BIN: bin },
});
process.exit(r.status ?? 1);
