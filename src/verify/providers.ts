// Live data providers. A helper that adds live checks registers a factory here (from a
// module imported by checks/index.ts); the engine creates each provider at most once per
// run, only when a selected check needs it and the mode allows it. A factory that cannot
// reach its source throws ProviderUnavailable: its checks are skipped with that reason.
import type { Settings } from '../stack/settings';

export interface VerifyMode {
  /** files only: no Docker, no openclaw CLI, no network */
  static: boolean;
  /** also ask the openclaw CLI for its effective policy */
  deep: boolean;
  /** real agent turns against a scripted model */
  redteam: boolean;
  /** an OpenClaw home on this host instead of the gateway container */
  local: boolean;
  /** OpenClaw state dir for --local */
  openclawHome?: string;
}

export interface ProviderContext {
  dir: string;
  settings: Settings;
  mode: VerifyMode;
}

export type ProviderFactory = (ctx: ProviderContext) => Promise<unknown>;

export class ProviderUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ProviderUnavailable';
  }
}

const factories = new Map<string, ProviderFactory>();

/** register (or replace) the factory for a live view, e.g. "docker" or "openclaw" */
export function registerProvider(name: string, factory: ProviderFactory): void {
  factories.set(name, factory);
}

export function providerFactory(name: string): ProviderFactory | undefined {
  return factories.get(name);
}

/** for tests */
export function unregisterProvider(name: string): void {
  factories.delete(name);
}
