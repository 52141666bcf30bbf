// oss init: parse options, call the renderer, print what changed.
import { OssError } from '../errors';
import { defaultStackDir, initStack, type InitResult } from '../render/init-stack';
import { colorEnabled, painter } from '../ui/output';

interface InitOpts {
  dir?: string;
  telegramId?: string[];
  port?: string;
  workspace?: string;
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    throw new OssError(`--port ${JSON.stringify(raw)} is not a TCP port`, { hint: 'pass a number from 1 to 65535, e.g. --port 8080' });
  }
  return Number(raw);
}

export async function run(opts: InitOpts): Promise<number> {
  const overrides: NonNullable<Parameters<typeof initStack>[0]['overrides']> = {};
  if (opts.telegramId) overrides.telegramIds = opts.telegramId;
  const port = parsePort(opts.port);
  if (port !== undefined) overrides.port = port;
  if (opts.workspace !== undefined) overrides.workspace = opts.workspace;
  const result = initStack({
    dir: opts.dir ?? defaultStackDir(),
    overrides: Object.keys(overrides).length > 0 ? overrides : undefined,
    force: opts.force,
    dryRun: opts.dryRun,
  });
  if (opts.json) process.stdout.write(`${JSON.stringify(toJson(result), null, 2)}\n`);
  else process.stdout.write(humanReport(result));
  return 0;
}

function toJson(r: InitResult) {
  return {
    schemaVersion: 1,
    dir: r.dir,
    dryRun: r.dryRun,
    changed: r.changed,
    settings: r.settings,
    files: r.files.map((f) => ({ path: f.path, action: f.action, ...(f.diff ? { diff: f.diff } : {}) })),
    secrets: r.secrets,
  };
}

function humanReport(r: InitResult): string {
  const p = painter(colorEnabled());
  const verb = r.dryRun ? 'would' : '';
  const lines: string[] = [];
  const past: Record<string, string> = { create: 'created', update: 'updated', overwrite: 'overwrote' };
  const say = (action: string, what: string) => lines.push(`${verb ? `${verb} ${action}` : past[action]} ${what}`);
  if (r.settings.action !== 'unchanged') say(r.settings.action, 'oss.yaml');
  for (const f of r.files) {
    if (f.action === 'create' || f.action === 'update') say(f.action, f.path);
    if (f.action === 'overwrite') {
      say('overwrite', `${f.path} (your edit, --force):`);
      lines.push(f.diff ?? '');
    }
    if (f.action === 'edited') {
      lines.push(p.yellow(`kept your edit of ${f.path} (differs from the render; --force overwrites it):`));
      lines.push(f.diff ?? '');
    }
  }
  for (const s of r.secrets) {
    if (s.action === 'create') say('create', `secret ${s.name} (0600)`);
    if (s.action === 'fix-mode') lines.push(`${verb ? 'would fix' : 'fixed'} mode of secret ${s.name} (${s.note})`);
  }
  const count = (a: string) => r.files.filter((f) => f.action === a).length;
  const summary = `${count('create')} created, ${count('update') + count('overwrite')} updated, ${count('unchanged')} unchanged, ${count('edited')} kept as edited; secrets: ${r.secrets.filter((s) => s.action === 'create').length} created, ${r.secrets.filter((s) => s.action === 'keep').length} kept`;
  if (!r.changed) lines.push(p.green(`nothing to do: ${r.dir} is up to date (${summary})`));
  else lines.push(`${r.dryRun ? 'dry run, nothing written: ' : ''}${summary} in ${r.dir}`);
  return `${lines.join('\n')}\n`;
}
