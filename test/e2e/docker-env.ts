// Shared guard for tests that need the Docker engine: in CI a missing engine is a
// failure (scripts/setup-docker.sh must have run); locally the test is skipped with a reason.
import { engineStatus } from '../../src/docker/engine';

export const engine = await engineStatus();
export const inCI = 'CI' in process.env && process.env.CI !== '' && process.env.CI !== 'false';

if (!engine.ok) {
  const msg = `Docker engine unavailable (${engine.detail}); run as root: bash scripts/setup-docker.sh`;
  if (inCI) throw new Error(msg);
  console.warn(`skipping Docker tests: ${msg}`);
}

/** run the suite when the engine answers; in CI a missing engine has already thrown above */
export const withEngine = engine.ok;

export function uniqueId(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
