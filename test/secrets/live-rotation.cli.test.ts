// The live-stack assertions (live-rotation.ts) run here against the fake docker and HTTP
// gateway stand-in, so the e2e that owns the real stack gets a helper already known to work.
import { afterAll, expect, it } from 'vitest';
import { makeStack, removeStack, startFakeStack, type FakeStack } from './fixtures';
import { rotateAndProveLive } from './live-rotation';

let fake: FakeStack | undefined;
let dir: string | undefined;
afterAll(async () => {
  await fake?.close();
  if (dir) removeStack(dir);
});

it('rotateAndProveLive passes on a stack whose consumers really reload their tokens', async () => {
  dir = makeStack('oss-liverot-');
  fake = await startFakeStack(dir);
  Object.assign(process.env, fake.env);
  const report = await rotateAndProveLive(dir);
  expect(report.proof.every((p) => p.ok)).toBe(true);
  expect(report.crashRepairMs).toBeGreaterThan(0);
  // rotation: bridge, gateway; crashed run: bridge (killed before journaling it);
  // repair: bridge again (restart is idempotent, the journal had not recorded it), gateway
  expect(fake.state().restarts).toEqual(['bridge', 'gateway', 'bridge', 'bridge', 'gateway']);
}, 60_000);
