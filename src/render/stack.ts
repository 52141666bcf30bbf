// Every file of the stack directory, rendered from templates/ and the model.
import { readAsset } from '../assets';
import { routes } from '../stack/model';
import { layout, wrapperFile } from '../stack/layout';
import type { Settings } from '../stack/settings';
import { renderHaproxyConfig } from './haproxy';
import { renderOpenclawConfig } from './openclaw-config';
import { renderTemplate } from './template';
import { templateVars, type HostFacts } from './vars';

export interface RenderedFile {
  /** relative to the stack dir */
  path: string;
  content: string;
  mode: number;
  /** owned by the containers' runtime user (when oss runs as root) */
  runtimeOwned?: boolean;
}

type Source =
  | { template: string } // templates/<name>, with {{vars}}
  | { bundle: string } // dist/<name>, copied verbatim
  | { generate: () => string };

interface FileSpec {
  path: string;
  from: Source;
  mode?: number;
  runtimeOwned?: boolean;
}

const EXEC = 0o755;

function fileSpecs(settings: Settings): FileSpec[] {
  return [
    { path: layout.compose, from: { template: 'docker-compose.yml' } },
    { path: layout.gitignore, from: { template: 'gitignore' } },
    { path: layout.gateway.dockerfile, from: { template: 'gateway/Dockerfile' } },
    {
      path: layout.gateway.openclawConfig,
      from: { generate: () => renderOpenclawConfig(settings) },
      mode: 0o600,
      runtimeOwned: true,
    },
    ...routes.map((r) => ({ path: wrapperFile(r), from: { template: `gateway/${r.wrapperScript}` }, mode: EXEC })),
    { path: layout.gateway.bridgeClient, from: { bundle: 'bridge-client.cjs' } },
    { path: layout.bridge.dockerfile, from: { template: 'bridge/Dockerfile' } },
    { path: layout.bridge.bundle, from: { bundle: 'bridge.cjs' } },
    { path: layout.socketProxy.dockerfile, from: { template: 'socket-proxy/Dockerfile' } },
    { path: layout.socketProxy.config, from: { generate: renderHaproxyConfig } },
    { path: layout.codexWorker.dockerfile, from: { template: 'codex-worker/Dockerfile' } },
    { path: 'codex-worker/codex-stub', from: { template: 'codex-worker/codex-stub' }, mode: EXEC },
    { path: layout.codexWorker.preamble, from: { template: 'codex-worker/preamble.md' } },
    { path: layout.codexWorker.config, from: { template: 'codex-worker/config.toml' } },
    { path: layout.codexWorker.entry, from: { template: 'codex-worker/oss-run-codex' }, mode: EXEC },
    { path: layout.deployRunner.dockerfile, from: { template: 'deploy-runner/Dockerfile' } },
    { path: layout.deployRunner.entry, from: { template: 'deploy-runner/oss-deploy-staging' }, mode: EXEC },
    { path: layout.dbQueryRunner.dockerfile, from: { template: 'db-query-runner/Dockerfile' } },
    { path: layout.dbQueryRunner.entry, from: { template: 'db-query-runner/oss-query-readonly' }, mode: EXEC },
    { path: layout.dbQueryRunner.bundle, from: { bundle: 'query-runner.cjs' } },
  ];
}

export type AssetReader = (relPath: string) => string;

/** render every file of the stack; pure apart from reading shipped assets */
export function renderStack(settings: Settings, host: HostFacts, read: AssetReader = readAsset): RenderedFile[] {
  const vars = templateVars(settings, host);
  return fileSpecs(settings).map((spec) => {
    let content: string;
    if ('template' in spec.from) {
      const name = `templates/${spec.from.template}`;
      content = renderTemplate(name, read(name), vars);
    } else if ('bundle' in spec.from) {
      content = read(`dist/${spec.from.bundle}`);
    } else {
      content = spec.from.generate();
    }
    return { path: spec.path, content, mode: spec.mode ?? 0o644, runtimeOwned: spec.runtimeOwned };
  });
}

/** every template file the renderer reads (the single binary embeds these) */
export function templateNames(settings: Settings): string[] {
  return fileSpecs(settings).flatMap((s) => ('template' in s.from ? [`templates/${s.from.template}`] : []));
}
