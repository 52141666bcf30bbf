// Where each rendered file lands in the stack directory. Paths are relative to the
// stack dir; the compose template, init, the checks and drift detection read them here.
import { routes, type RouteModel } from './model';

export const layout = {
  settings: 'oss.yaml',
  compose: 'docker-compose.yml',
  gitignore: '.gitignore',
  manifest: '.oss/manifest.json',
  stateDir: '.oss',
  secretsDir: 'secrets',
  gateway: {
    dockerfile: 'gateway/Dockerfile',
    /** mounted read-write at /home/node/.openclaw (OpenClaw state), uid 1000, 0700 */
    configDir: 'gateway/config',
    openclawConfig: 'gateway/config/openclaw.json',
    /** each file here is bind-mounted read-only into /home/node/.openclaw/ */
    scriptsDir: 'gateway/scripts',
    bridgeClient: 'gateway/scripts/bridge-client.cjs',
  },
  bridge: {
    dockerfile: 'bridge/Dockerfile',
    bundle: 'bridge/bridge.cjs',
  },
  socketProxy: {
    dockerfile: 'socket-proxy/Dockerfile',
    config: 'socket-proxy/haproxy.cfg',
  },
  codexWorker: {
    dockerfile: 'codex-worker/Dockerfile',
    /** neutral, editable; mounted read-only, prepended to every prompt */
    preamble: 'codex-worker/preamble.md',
    config: 'codex-worker/config.toml',
    entry: 'codex-worker/oss-run-codex',
  },
  deployRunner: {
    dockerfile: 'deploy-runner/Dockerfile',
    entry: 'deploy-runner/oss-deploy-staging',
  },
  dbQueryRunner: {
    dockerfile: 'db-query-runner/Dockerfile',
    bundle: 'db-query-runner/query-runner.cjs',
    entry: 'db-query-runner/oss-query-readonly',
  },
} as const;

export function wrapperFile(route: RouteModel): string {
  return `${layout.gateway.scriptsDir}/${route.wrapperScript}`;
}

export const wrapperFiles = (): string[] => routes.map(wrapperFile);
