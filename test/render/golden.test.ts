// Golden files: the render of a fixed settings file, byte for byte. Regenerate after an
// intended template or model change with UPDATE_GOLDEN=1 and review the diff.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderStack, templateNames } from '../../src/render/stack';
import { parseSettings } from '../../src/stack/settings';

const goldenDir = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
const settings = parseSettings({ telegram: { operatorIds: ['123456789'] }, workspace: 'shop' });
// bundles are build outputs with their own tests; everything else is compared byte for byte
const files = renderStack(settings, { dockerSocketGid: 994 }).filter((f) => !f.path.endsWith('.cjs'));

describe('golden render', () => {
  it('renders no template with a leftover placeholder', () => {
    for (const f of files) expect(f.content, f.path).not.toMatch(/\{\{[A-Za-z0-9_.-]+\}\}/);
    expect(templateNames(settings).length).toBeGreaterThan(10);
  });

  for (const f of files) {
    it(`matches ${f.path}`, () => {
      // a .golden suffix keeps the rendered .gitignore from applying to the fixtures themselves
      const golden = join(goldenDir, `${f.path}.golden`);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
        if (process.env.CI && !existsSync(golden)) throw new Error(`golden file missing for ${f.path}: run UPDATE_GOLDEN=1`);
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, f.content);
      }
      expect(f.content).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
