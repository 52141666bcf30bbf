// Start the bridge and run it until SIGTERM/SIGINT, then drain. Shared by the
// container entry (main.ts) and `oss bridge serve`.
import { OssError } from '../errors';
import { bridge as bridgeModel, type RouteName } from '../stack/model';
import type { Executor } from './executor';
import { createBridge, type AuditRecord, type Bridge, type BridgeLimits } from './server';
import { readTokenFile } from './token';

export interface ServeOptions {
  host: string;
  port: number;
  tokenFile: string;
  concurrency: number;
  executor: Executor;
  limits?: Partial<BridgeLimits>;
  routeTimeoutMs?: Partial<Record<RouteName, number>>;
  audit?: (record: AuditRecord) => void;
  /** diagnostics (listening, draining): never a secret */
  log: (line: string) => void;
}

export function parsePort(value: string | undefined, what: string): number {
  const n = Number(value);
  if (value === undefined || !/^[0-9]{1,5}$/.test(value) || n > 65535) {
    throw new OssError(`${what} must be a port number 0-65535, got ${JSON.stringify(value)}`, { hint: `e.g. ${what} ${bridgeModel.port}` });
  }
  return n;
}

export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return bridgeModel.concurrency;
  const n = Number(value);
  if (!/^[0-9]{1,2}$/.test(value) || n < 1 || n > 64) {
    throw new OssError(`concurrency must be a whole number 1-64, got ${JSON.stringify(value)}`, { hint: `the default is ${bridgeModel.concurrency}` });
  }
  return n;
}

/** resolves once the bridge is listening; `stopped` settles after a signal-driven drain */
export async function serveBridge(o: ServeOptions): Promise<{ bridge: Bridge; host: string; port: number; stopped: Promise<void> }> {
  const token = readTokenFile(o.tokenFile);
  const b = createBridge({
    token,
    executor: o.executor,
    concurrency: o.concurrency,
    limits: o.limits,
    routeTimeoutMs: o.routeTimeoutMs,
    audit: o.audit,
  });
  let addr: { host: string; port: number };
  try {
    addr = await b.listen(o.port, o.host);
  } catch (err) {
    throw new OssError(`cannot listen on ${o.host}:${o.port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      hint: 'pick a free port, or stop what is listening there',
    });
  }
  o.log(`bridge listening on ${addr.host}:${addr.port} (executor ${o.executor.kind}, ${o.concurrency} slots)`);
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      o.log(`bridge: ${signal}, draining ${b.active} running execution(s)`);
      b.drain().then(resolve, resolve);
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
  return { bridge: b, ...addr, stopped };
}
