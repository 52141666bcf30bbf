// The record of what init rendered: sha256 and mode per file, for drift detection.
// Deterministic (no timestamps), so rendering twice yields identical bytes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { OssError } from '../errors';
import { layout } from '../stack/layout';

export const manifestSchema = z.object({
  schemaVersion: z.literal(1),
  ossVersion: z.string(),
  files: z.record(z.string(), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), mode: z.string().regex(/^0[0-7]{3}$/) })),
});

export type Manifest = z.infer<typeof manifestSchema>;

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export const modeString = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

export function readManifest(dir: string): Manifest | null {
  const file = join(dir, layout.manifest);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new OssError(`cannot read ${file}: ${(err as Error).message}`, { hint: 'check its permissions' });
  }
  try {
    return manifestSchema.parse(JSON.parse(text));
  } catch {
    throw new OssError(`${file} is not a valid oss manifest`, {
      hint: `remove ${layout.manifest} and run \`oss init --force\` to re-render and record the stack`,
    });
  }
}

export function serializeManifest(m: Manifest): string {
  const files = Object.fromEntries(Object.entries(m.files).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify({ ...m, files }, null, 2)}\n`;
}
