// Checks 6.11 and 6.12 on the hardened render (must pass) and one mutation each (must fail).
import { afterAll, describe, expect, test } from 'vitest';
import { expectCaught, verifyStatic, type Mutation } from '../../test/checks/harness';
import { cleanupStacks, hardenedStack, override, replaceOnce } from '../../test/verify/fixture';
import { layout } from '../../src/stack/layout';

afterAll(cleanupStacks);
const ENTRY = layout.dbQueryRunner.entry;
const DF = layout.dbQueryRunner.dockerfile;
const OV = 'docker-compose.override.yml';

test('the hardened render passes 6.11 and 6.12', async () => {
  const report = await verifyStatic(hardenedStack(), ['6.11', '6.12']);
  const mine = report.results.filter((r) => r.id === '6.11' || r.id === '6.12');
  expect(mine.map((r) => `${r.id} ${r.status} ${JSON.stringify(r.evidence)}`)).toEqual([
    expect.stringMatching(/^6\.11 pass/),
    expect.stringMatching(/^6\.12 pass/),
  ]);
});

const cases: [string, Mutation][] = [
  ['6.11', { name: 'entry replaced by a placeholder', mutate: (d) => replaceOnce(d, ENTRY, 'exec node /app/query-runner.cjs', 'cat'), evidence: { file: ENTRY, found: 'cat' }, alsoFails: ['3.2'] }],
  ['6.11', { name: 'DSN file passed on the entry line', mutate: (d) => replaceOnce(d, ENTRY, 'exec node /app/query-runner.cjs', 'exec node /app/query-runner.cjs --dsn-file /tmp/x'), evidence: { file: ENTRY, message: 'passes it arguments' }, alsoFails: ['3.2'] }],
  ['6.11', { name: 'Dockerfile no longer installs the bundle', mutate: (d) => replaceOnce(d, DF, /^COPY query-runner\.cjs .*$/m, 'COPY query-runner.cjs /srv/other.cjs'), evidence: { file: DF, message: 'does not install the runner bundle' }, alsoFails: ['3.2'] }],
  ['6.11', { name: 'bundle swapped for a stub', mutate: (d) => replaceOnce(d, layout.dbQueryRunner.bundle, /READ ONLY/g, 'READ WRITE'), evidence: { file: layout.dbQueryRunner.bundle, message: 'not the read-only runner' }, alsoFails: ['3.2'] }],
  ['6.12', { name: 'DSN in the worker environment', mutate: (d) => override(d, 'services:\n  db-query-runner:\n    environment:\n      OSS_DB_DSN: postgresql://u:p@db/app\n'), evidence: { file: OV, found: 'OSS_DB_DSN' }, alsoFails: ['C.15', 'S.3'] }],
  ['6.12', { name: 'DATABASE_URL on another service (list form)', mutate: (d) => override(d, 'services:\n  deploy-runner:\n    environment: ["DATABASE_URL=postgres://u:p@db/app"]\n'), evidence: { found: 'DATABASE_URL' }, alsoFails: ['C.15', 'S.3'] }],
  ['6.12', { name: 'DSN on the command line', mutate: (d) => override(d, 'services:\n  db-query-runner:\n    command: ["node", "/app/query-runner.cjs", "postgresql://u:p@db/app"]\n'), evidence: { message: 'DSN on its command' }, alsoFails: ['S.3'] }],
];

describe('mutations are caught', () => {
  test.each(cases)('%s', async (id, m) => {
    await expectCaught(id, m);
  });
});
