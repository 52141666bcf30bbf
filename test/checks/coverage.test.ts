// Every static check this suite owns has a passing fixture (the hardened render, in
// control-1-2.test.ts) and at least one mutation that must fail it, in the tables below.
import { readFileSync, readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { checks } from '../../checks/index';

const here = new URL('./', import.meta.url);
const tables = readdirSync(here)
  .filter((f) => /^control-.*\.test\.ts$/.test(f))
  .map((f) => readFileSync(new URL(f, here), 'utf8'))
  .join('\n');

// static checks (ids X.1-X.19) whose tests live here rather than beside the check module
const besideTests = readdirSync(new URL('../../checks/', import.meta.url), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .join('\n');
const owned = checks.filter((c) => /^(?:[1-47]|9|10|C|S)\.(?:[1-9]|1[0-9])$/.test(c.id) && !besideTests.includes(`/${c.id}-`));

test('every owned static check has at least one mutation case', () => {
  expect(owned.length).toBeGreaterThanOrEqual(44);
  const missing = owned.filter((c) => !new RegExp(`\\[\\s*'${c.id.replace('.', '\\.')}',|expectCaught\\('${c.id.replace('.', '\\.')}'`).test(tables)).map((c) => c.id);
  expect(missing).toEqual([]);
});

test('every check is registered once with a unique id, and static ones need files only', () => {
  const ids = checks.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const c of owned) expect(c.needs, c.id).toEqual(['files']);
});
