// oss down: stop and remove the stack's containers, networks and (unless kept) volumes.
import { defaultStackDir } from '../render/init-stack';
import { stackDown } from '../docker/stack';
import { ExitCode } from '../errors';

interface DownOpts {
  dir?: string;
  keepVolumes?: boolean;
  json?: boolean;
}

export async function run(opts: DownOpts): Promise<number> {
  const dir = opts.dir ?? defaultStackDir();
  const r = await stackDown({ dir, keepVolumes: opts.keepVolumes === true });
  const leftover = [...r.left.containers, ...r.left.networks, ...(opts.keepVolumes ? [] : r.left.volumes)];
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ schemaVersion: 1, dir, ok: leftover.length === 0, removed: r.removed, left: r.left }, null, 2)}\n`);
  } else {
    const n = (xs: string[], what: string) => `${xs.length} ${what}${xs.length === 1 ? '' : 's'}`;
    process.stdout.write(`removed ${n(r.removed.containers, 'container')}, ${n(r.removed.networks, 'network')}, ${n(r.removed.volumes, 'volume')}\n`);
    if (opts.keepVolumes && r.left.volumes.length) process.stdout.write(`kept ${n(r.left.volumes, 'volume')}: ${r.left.volumes.join(', ')}\n`);
    if (leftover.length) process.stderr.write(`oss: still present: ${leftover.join(', ')}\n`);
  }
  return leftover.length === 0 ? ExitCode.ok : ExitCode.failed;
}
