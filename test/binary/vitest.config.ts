// `npm run test:binary`: every command-level test plus the executable's own tests,
// run against OSS_BIN (the single executable). Same settings as the main config.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config';

export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: {
    ...base.test,
    include: ['test/**/*.cli.test.ts', 'checks/**/*.cli.test.ts', 'test/binary/*.sea-test.ts'],
  },
});
