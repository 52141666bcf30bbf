import { createHash } from 'node:crypto';
import { defineCheck, fail, verdict, type Evidence } from '../../src/verify/check';
import { layout, wrapperFiles } from '../../src/stack/layout';
import { MANIFEST_FILE } from '../../src/stack/model';

/** the files whose bytes are the audited behaviour: wrappers, preamble, worker entries, bundles */
export function driftTargets(): string[] {
  return [
    ...wrapperFiles(),
    layout.gateway.bridgeClient,
    layout.bridge.bundle,
    layout.codexWorker.preamble,
    layout.codexWorker.entry,
    layout.deployRunner.entry,
    layout.dbQueryRunner.entry,
    layout.dbQueryRunner.bundle,
  ];
}

export default defineCheck({
  id: '3.2',
  control: 3,
  title: 'Wrapper scripts, preamble, worker entries and bundles match the manifest',
  severity: 'high',
  needs: ['files'],
  rationale:
    'The three wrapper scripts are the only commands the agent may exec and the worker entries are what they run; an edited copy changes what the exec allowlist actually permits. The manifest records the sha256 of each rendered file.',
  remediation: 'Inspect the change (`oss init --dry-run` shows the diff), then restore the rendered files with `oss init --force`.',
  run(ctx) {
    const manifest = ctx.files.manifest();
    if (!manifest) return fail({ file: MANIFEST_FILE, message: 'no manifest: cannot prove the scripts are the rendered ones', expected: 'the manifest written by oss init' });
    const out: Evidence[] = [];
    for (const rel of driftTargets()) {
      const want = manifest.files[rel];
      const data = ctx.files.bytes(rel);
      if (data === null) {
        out.push({ file: rel, message: 'rendered file is missing', expected: want ? `sha256 ${want.slice(0, 12)}…` : 'present' });
        continue;
      }
      if (!want) {
        out.push({ file: rel, message: `${rel} is not recorded in the manifest`, expected: 'a manifest entry' });
        continue;
      }
      const got = createHash('sha256').update(data).digest('hex');
      if (got !== want) out.push({ file: rel, found: `sha256 ${got.slice(0, 12)}…`, expected: `sha256 ${want.slice(0, 12)}…`, message: `${rel} changed since oss rendered it` });
    }
    return verdict(out, `${driftTargets().length} files match the manifest`);
  },
});
