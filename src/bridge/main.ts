// Container entry of the bridge image (`node /app/bridge.cjs`). Always executes workers
// through the socket proxy: this entry has no local-command mode at all.
//   node bridge.cjs [--host H] [--port P] [--token-file F] [--concurrency N]
//                   [--docker-host H] [--docker-port P]
//   node bridge.cjs --healthcheck      (Docker HEALTHCHECK: exit 0 when /healthz answers 200)
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { isOssError } from '../errors';
import { bridge, socketProxy } from '../stack/model';
import { dockerExecutor } from './docker-executor';
import { parseConcurrency, parsePort, serveBridge } from './serve';

function healthcheck(port: number): void {
  const req = request({ host: '127.0.0.1', port, path: '/healthz', timeout: 3000 }, (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  });
  req.on('timeout', () => req.destroy());
  req.on('error', () => process.exit(1));
  req.end();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '0.0.0.0' },
      port: { type: 'string', default: String(bridge.port) },
      'token-file': { type: 'string', default: bridge.tokenFile },
      concurrency: { type: 'string', default: process.env.OSS_BRIDGE_CONCURRENCY },
      'docker-host': { type: 'string', default: socketProxy.host },
      'docker-port': { type: 'string', default: String(socketProxy.port) },
      healthcheck: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = parsePort(values.port, '--port');
  if (values.healthcheck) return healthcheck(port);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const served = await serveBridge({
    host: values.host!,
    port,
    tokenFile: values['token-file']!,
    concurrency: parseConcurrency(values.concurrency),
    executor: dockerExecutor({ host: values['docker-host']!, port: parsePort(values['docker-port'], '--docker-port') }),
    audit: (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    log,
  });
  await served.stopped;
  process.exit(0);
}

main().catch((err: unknown) => {
  if (isOssError(err)) {
    process.stderr.write(`bridge: FATAL: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
    process.exit(err.exitCode);
  }
  process.stderr.write(`bridge: FATAL: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
