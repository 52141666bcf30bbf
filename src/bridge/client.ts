// The gateway-side client: `node bridge-client.cjs <route> [value]`, argv-compatible
// with the original. Sends the same request bytes the original sent (POST, JSON body
// with the route's one field, Content-Type, Content-Length, Authorization), prints the
// worker's stdout/stderr and exits with the worker's exit code.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { bridge, routes } from '../stack/model';

export interface ClientIO {
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** token: the secret file first; env BRIDGE_TOKEN only as the original's fallback */
function readToken(env: NodeJS.ProcessEnv): string | undefined {
  const file = env.OSS_BRIDGE_TOKEN_FILE || bridge.tokenFile;
  try {
    const t = readFileSync(file, 'utf8').trim();
    if (t) return t;
  } catch {
    // fall through to the env fallback
  }
  return env.BRIDGE_TOKEN?.trim() || undefined;
}

export function runClient(argv: string[], io: ClientIO): Promise<number> {
  const name = argv[0] ?? '';
  const route = routes.find((r) => r.name === name);
  if (!route) {
    io.stderr(`bridge-client: unknown endpoint '${name}' (expected one of: ${routes.map((r) => r.name).join(', ')})\n`);
    return Promise.resolve(2);
  }
  const token = readToken(io.env);
  if (!token) {
    io.stderr(`bridge-client: no token in ${io.env.OSS_BRIDGE_TOKEN_FILE || bridge.tokenFile} and BRIDGE_TOKEN not set\n`);
    return Promise.resolve(2);
  }
  let url: URL;
  try {
    url = new URL(io.env.OSS_BRIDGE_URL || `http://${bridge.host}:${bridge.port}`);
  } catch {
    io.stderr('bridge-client: OSS_BRIDGE_URL is not a URL\n');
    return Promise.resolve(2);
  }
  const payload = route.field ? { [route.field]: argv[1] ?? '' } : {};
  const body = Buffer.from(JSON.stringify(payload));

  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port || 80,
        path: route.path,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': body.length,
          Authorization: `Bearer ${token}`,
        },
        timeout: (route.timeoutSec + bridge.clientGraceSec) * 1000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let j: { ok?: unknown; exit_code?: unknown; stdout?: unknown; stderr?: unknown; error?: unknown; truncated?: unknown };
          try {
            j = JSON.parse(text);
          } catch {
            io.stderr(`bridge-client: non-JSON response (HTTP ${res.statusCode})\n`);
            return resolve(1);
          }
          if (typeof j.stdout === 'string' && j.stdout) io.stdout(j.stdout);
          if (typeof j.stderr === 'string' && j.stderr) io.stderr(j.stderr);
          if (j.truncated === true) io.stderr('\nbridge-client: output truncated by the bridge\n');
          if (typeof j.exit_code === 'number') return resolve(j.exit_code);
          if (typeof j.error === 'string') io.stderr(`bridge-client: ${j.error} (HTTP ${res.statusCode})\n`);
          resolve(j.ok === true ? 0 : 1);
        });
        res.on('error', () => resolve(1));
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', (e) => {
      io.stderr(`bridge-client: request failed: ${e.message}\n`);
      resolve(1);
    });
    req.end(body);
  });
}
