// Registers the `docker` live provider (and `network`, whose probes the docker view runs)
// with the verify engine. Imported for its side effect by checks/index.ts.
import { ProviderUnavailable, providerFactory, registerProvider } from '../verify/providers';
import { buildDockerView, StackNotRunning, type DockerView } from './live';

registerProvider('docker', async (ctx) => {
  try {
    return await buildDockerView(ctx.settings);
  } catch (err) {
    if (err instanceof StackNotRunning) throw new ProviderUnavailable(err.message);
    throw err;
  }
});

// `network` needs no state of its own here: the probes live in the docker view
if (!providerFactory('network')) registerProvider('network', async () => ({}));

/** the docker view from a check context's live views */
export async function dockerView(live: { docker?: () => Promise<unknown> }): Promise<DockerView> {
  if (!live.docker) throw new Error('the docker live view is not available');
  return (await live.docker()) as DockerView;
}
