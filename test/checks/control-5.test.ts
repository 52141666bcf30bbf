import { afterAll, describe, test } from 'vitest';
import { expectAllPass, expectCaught, type Mutation } from './harness';
import { cleanupStacks, hardenedStack, replaceOnce } from '../verify/fixture';

afterAll(cleanupStacks);
const WRAPPER = 'gateway/scripts/deploy-staging.sh';
const ENTRY = 'deploy-runner/oss-deploy-staging';

test('the hardened render passes 5.1', async () => {
  await expectAllPass(hardenedStack());
});

const cases: Mutation[] = [
  { name: 'the wrapper forwards its argument', mutate: (d) => replaceOnce(d, WRAPPER, /bridge-client\.cjs deploy-staging$/m, 'bridge-client.cjs deploy-staging "$1"'), evidence: { file: WRAPPER, message: /forwards its arguments/, line: 'any' } },
  { name: 'the wrapper accepts arguments', mutate: (d) => replaceOnce(d, WRAPPER, /if \[ "\$#" -ne 0 \]; then/, 'if false; then'), evidence: { file: WRAPPER, message: /does not refuse arguments/ } },
  { name: 'the entry targets production', mutate: (d) => replaceOnce(d, ENTRY, /^TARGET=staging$/m, 'TARGET=production'), evidence: { file: ENTRY, found: 'TARGET=production', line: 'any' } },
  { name: 'the entry reads stdin', mutate: (d) => replaceOnce(d, ENTRY, /^exec <\/dev\/null$/m, 'read -r TARGET'), evidence: { file: ENTRY, message: /may read input from stdin/ } },
  { name: 'the entry uses its arguments', mutate: (d) => replaceOnce(d, ENTRY, /^TARGET=staging$/m, 'TARGET=staging; ENV="${1:-staging}"'), evidence: { file: ENTRY, message: /uses its arguments/, line: 'any' } },
];

describe('5.1 deploy is staging-only and takes no input', () => {
  for (const m of cases) test(m.name, async () => void (await expectCaught('5.1', { ...m, alsoFails: ['3.2', ...(m.alsoFails ?? [])] })));
});
