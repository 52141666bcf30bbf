import { isDeepStrictEqual } from 'node:util';
import { defineCheck, fail, pass } from '../../src/verify/check';
import { layout } from '../../src/stack/layout';
import { routes } from '../../src/stack/model';

/** the bridge bundle carries its route table on exactly one line: `//# oss-routes <json>` */
export const ROUTES_MARKER = '//# oss-routes ';

export default defineCheck({
  id: '3.1',
  control: 3,
  title: 'The rendered bridge serves exactly the model\'s three fixed routes',
  severity: 'high',
  needs: ['files'],
  rationale:
    'Each bridge route runs one fixed command in one fixed worker with one optional, capped input field. A bundle with another route table (an extra route, a longer cap, another argv) is a different program than the one audited.',
  remediation: `Re-render the bridge with \`oss init --force\` (it copies the bundle built from this oss version to ${layout.bridge.bundle}).`,
  run(ctx) {
    const file = layout.bridge.bundle;
    const text = ctx.files.text(file);
    if (text === null) return fail({ file, message: 'the bridge bundle is missing', expected: 'the bundle rendered by oss init' });
    const lines = text.split('\n');
    const hits = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.startsWith(ROUTES_MARKER));
    if (hits.length !== 1) {
      return fail({ file, found: `${hits.length} route table markers`, expected: `exactly one line starting "${ROUTES_MARKER.trim()}"`, message: 'cannot read the bridge route table' });
    }
    const hit = hits[0]!;
    let table: unknown;
    try {
      table = JSON.parse(hit.l.slice(ROUTES_MARKER.length));
    } catch {
      return fail({ file, line: hit.i + 1, message: 'the route table marker is not valid JSON' });
    }
    const want = JSON.parse(JSON.stringify(routes)) as unknown;
    if (isDeepStrictEqual(table, want)) return pass({ file, message: `${routes.length} routes equal the model` });
    const found = Array.isArray(table) ? table.map((r: { path?: unknown }) => String(r?.path)).join(', ') : typeof table;
    const diffs: string[] = [];
    if (Array.isArray(table)) {
      for (const r of routes) {
        const t = table.find((x: { path?: unknown }) => x?.path === r.path);
        if (!t) diffs.push(`${r.path} missing`);
        else if (!isDeepStrictEqual(t, JSON.parse(JSON.stringify(r)))) diffs.push(`${r.path} differs`);
      }
      for (const t of table as { path?: unknown }[]) if (!routes.some((r) => r.path === t?.path)) diffs.push(`extra route ${String(t?.path)}`);
    }
    return fail({ file, line: hit.i + 1, path: 'oss-routes', found, expected: routes.map((r) => r.path).join(', '), message: `bridge route table differs from the model: ${diffs.join('; ') || 'shape differs'}` });
  },
});
