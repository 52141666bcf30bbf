// `oss bridge serve`: the bridge on this host. Workers run by local argv (--commands)
// or by Docker exec through an Engine API endpoint (--docker). Audit lines are JSON on
// stdout; with --json the first stdout line is {"listening":{host,port,...}}.
import { OssError } from '../errors';
import { dockerExecutor } from '../bridge/docker-executor';
import { localExecutor, readCommandMap } from '../bridge/local-executor';
import { parseConcurrency, parsePort, serveBridge } from '../bridge/serve';
import { routes, type RouteName } from '../stack/model';

function positiveMs(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  if (!/^[0-9]{1,9}$/.test(s) || Number(s) < 1) throw new OssError(`${flag} must be a positive number of milliseconds, got ${JSON.stringify(s)}`);
  return Number(s);
}

function parseDocker(value: string): { host: string; port: number } {
  const m = /^([A-Za-z0-9._-]+|\[[0-9a-fA-F:]+\]):([0-9]{1,5})$/.exec(value);
  if (!m) throw new OssError(`--docker must be host:port, got ${JSON.stringify(value)}`, { hint: 'e.g. --docker 127.0.0.1:2375' });
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: parsePort(m[2], '--docker port') };
}

export async function run(opts: Record<string, unknown>): Promise<number> {
  const tokenFile = opts.tokenFile as string | undefined;
  if (!tokenFile) throw new OssError('--token-file is required', { hint: 'e.g. oss bridge serve --token-file ./secrets/bridge_token' });
  const port = parsePort(String(opts.port), '--port');
  const concurrency = parseConcurrency(String(opts.concurrency));
  const routeTimeout = positiveMs(opts.routeTimeoutMs, '--route-timeout-ms');
  const headersTimeout = positiveMs(opts.headersTimeoutMs, '--headers-timeout-ms');
  const executor = opts.commands ? localExecutor(readCommandMap(String(opts.commands))) : dockerExecutor(parseDocker(String(opts.docker)));
  const json = opts.json === true;

  const served = await serveBridge({
    host: String(opts.host),
    port,
    tokenFile,
    concurrency,
    executor,
    routeTimeoutMs: routeTimeout === undefined ? undefined : (Object.fromEntries(routes.map((r) => [r.name, routeTimeout])) as Record<RouteName, number>),
    limits: headersTimeout === undefined ? undefined : { headersTimeoutMs: headersTimeout, requestTimeoutMs: Math.max(headersTimeout, 1000) * 3 },
    audit: (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    log: (line) => {
      if (!json) process.stderr.write(`${line}\n`);
    },
  });
  if (json) {
    process.stdout.write(`${JSON.stringify({ listening: { host: served.host, port: served.port, executor: executor.kind, concurrency } })}\n`);
  }
  await served.stopped;
  return 0;
}
