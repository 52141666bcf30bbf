import { ExitCode } from '../errors';
import { selfTest } from '../runtime/self-test';

declare const __OSS_VERSION__: string;

export async function run(opts: { json?: boolean }): Promise<number> {
  const version = typeof __OSS_VERSION__ === 'string' ? __OSS_VERSION__ : '0.0.0-dev';
  const report = await selfTest(version);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');
    const bytes = report.assets.reduce((n, a) => n + a.bytes, 0);
    process.stdout.write(
      [
        `oss ${report.version} on Node ${report.node}${report.sea ? ' (single executable)' : ''}`,
        `${mark(report.templates > 0)} ${report.assets.length} shipped files readable (${report.templates} templates, ${bytes} bytes)`,
        `${mark(report.spawn.ok)} child processes: ${report.spawn.detail}`,
        `${mark(report.progress.ok)} progress output: ${report.progress.detail}`,
        '',
      ].join('\n'),
    );
  }
  return report.ok ? ExitCode.ok : ExitCode.failed;
}
