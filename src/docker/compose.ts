// `docker compose` for one stack directory: the project name and compose file come from
// the model, so `oss up`, `oss down` and the live checks always address the same project.
import { join } from 'node:path';
import { COMPOSE_FILE, PROJECT_NAME, serviceKeys, services, type ServiceKey } from '../stack/model';
import { runDocker, type DockerResult, type DockerRunner, type DockerRunOptions } from './engine';

export function composeArgs(dir: string, args: string[]): string[] {
  return ['compose', '--project-directory', dir, '-f', join(dir, COMPOSE_FILE), '-p', PROJECT_NAME, '--ansi', 'never', ...args];
}

export function compose(dir: string, args: string[], opts: DockerRunOptions = {}, run: DockerRunner = runDocker): Promise<DockerResult> {
  return run(composeArgs(dir, args), opts);
}

/** every container of the stack, in the model's order */
export const stackContainers = (): string[] => serviceKeys.map((k) => services[k].containerName);

export function serviceOfContainer(name: string): ServiceKey | undefined {
  return serviceKeys.find((k) => services[k].containerName === name);
}

/** label compose puts on every object of the project */
export const PROJECT_LABEL = `com.docker.compose.project=${PROJECT_NAME}`;

export interface ProjectObjects {
  containers: string[];
  networks: string[];
  volumes: string[];
}

/** containers, networks and volumes of the project that exist on the engine (by label) */
export async function projectObjects(run: DockerRunner = runDocker): Promise<ProjectObjects> {
  const list = async (args: string[]) => {
    const r = await run(args, { timeoutMs: 30_000 });
    return r.exitCode === 0 ? r.stdout.split('\n').map((s) => s.trim()).filter(Boolean) : [];
  };
  const [containers, networks, volumes] = await Promise.all([
    list(['ps', '-a', '--filter', `label=${PROJECT_LABEL}`, '--format', '{{.Names}}']),
    list(['network', 'ls', '--filter', `label=${PROJECT_LABEL}`, '--format', '{{.Name}}']),
    list(['volume', 'ls', '--filter', `label=${PROJECT_LABEL}`, '--format', '{{.Name}}']),
  ]);
  return { containers, networks, volumes };
}
