import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { interpolateString, isObject } from '../../src/verify/compose';
import { eachService, show } from '../../src/verify/check-helpers';
import { services } from '../../src/stack/model';

/** why an image reference is not pinned, or null */
export function unpinned(ref: string): string | null {
  const r = ref.trim();
  if (r === '' || r === 'scratch') return null;
  if (/@sha256:[a-f0-9]{64}$/.test(r)) return null;
  const last = r.split('/').pop()!;
  if (!last.includes(':')) return 'has no tag (means :latest)';
  if (/:latest$/.test(last)) return 'uses :latest';
  return null;
}

function dockerfileFindings(text: string, file: string, buildArgs: Record<string, string>): Evidence[] {
  const out: Evidence[] = [];
  const args: Record<string, string> = {};
  const stages = new Set<string>();
  text.split('\n').forEach((line, i) => {
    const arg = /^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?/i.exec(line);
    if (arg) args[arg[1]!] = buildArgs[arg[1]!] ?? (arg[2] ?? '').replace(/^"|"$/g, '');
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from) return;
    const ref = interpolateString(from[1]!, args);
    if (from[2]) stages.add(from[2].toLowerCase());
    if (stages.has(ref.toLowerCase()) && ref.toLowerCase() !== from[2]?.toLowerCase()) return;
    const why = ref.includes('$') || ref === '' ? 'uses a build argument with no value' : unpinned(ref);
    if (why) out.push({ file, line: i + 1, found: from[1]!, expected: 'an image with a pinned tag or digest', message: `base image ${ref || from[1]} ${why}` });
  });
  return out;
}

export default defineCheck({
  id: 'C.17',
  control: 'C',
  title: 'Images and base images are pinned (no :latest)',
  severity: 'medium',
  needs: ['files'],
  rationale: 'An unpinned image changes under the stack on the next pull or build: the code that runs is no longer the code that was verified.',
  remediation: 'Use an explicit tag or digest (oss.yaml images.node / images.debian) and re-run `oss init`.',
  run: (ctx) =>
    verdict(
      eachService(ctx, (s) => {
        const out: Evidence[] = [];
        const hasBuild = s.svc.build !== undefined;
        if (typeof s.svc.image === 'string') {
          const why = unpinned(s.svc.image);
          if (why) out.push(s.at(['image'], { found: s.svc.image, expected: 'a pinned tag or digest', message: `service ${s.name} image ${why}` }));
        } else if (!hasBuild) {
          out.push(s.at(['image'], { found: 'absent', expected: 'an image or a build', message: `service ${s.name} has neither image nor build` }));
        }
        if (hasBuild) {
          const b = s.svc.build;
          const context = typeof b === 'string' ? b : isObject(b) && typeof b.context === 'string' ? b.context : s.key ? services[s.key].buildDir : '.';
          const dockerfile = isObject(b) && typeof b.dockerfile === 'string' ? b.dockerfile : 'Dockerfile';
          const buildArgs: Record<string, string> = {};
          if (isObject(b) && isObject(b.args)) for (const [k, v] of Object.entries(b.args)) buildArgs[k] = String(v);
          const rel = `${context.replace(/^\.\//, '').replace(/\/$/, '')}/${dockerfile}`;
          const text = ctx.files.text(rel);
          if (text === null) out.push(s.at(['build'], { found: rel, expected: 'a Dockerfile', message: `service ${s.name}: ${rel} is missing` }));
          else out.push(...dockerfileFindings(text, rel, buildArgs));
        }
        return out;
      }),
      'all images pinned',
    ),
});
