// The hardened OpenClaw state (SPEC section 5) for one target, derived from the stack
// model only: the config patch, the subtrees it replaces exactly, and the approvals document.
import {
  controlUiOrigins,
  EXEC_AGENT,
  execPolicy,
  gateway,
  gatewayToolsAllow,
  routes,
  telegramBlock,
  toolsPolicy,
  allowlistEntryId,
  wrapperArgPattern,
} from '../stack/model';
import type { Settings } from '../stack/settings';
import type { OpenClawTarget } from './target';

/** OpenClaw secret provider ids (file providers, singleValue) */
export const GATEWAY_TOKEN_PROVIDER = 'ossgatewaytoken';

export interface AllowlistEntry {
  id: string;
  pattern: string;
  argPattern?: string;
}

export interface ApprovalsDocument {
  version: 1;
  defaults: { security: string; ask: string; askFallback: string; autoAllowSkills: boolean };
  agents: Record<string, { allowlist: AllowlistEntry[] }>;
}

export interface DesiredState {
  /** dotted path -> exact value (objects compared whole, arrays as sets where order is meaningless) */
  exact: Record<string, unknown>;
  /** dotted paths that must be absent (per-agent tool overrides that widen access) */
  absent: string[];
  approvals: ApprovalsDocument;
}

/** subtrees `config patch --replace-path` makes exact; everything else in the patch merges */
export const REPLACE_PATHS = [
  'tools',
  'channels.telegram',
  'gateway.tools',
  'gateway.controlUi.allowedOrigins',
  'gateway.auth',
  `secrets.providers.${GATEWAY_TOKEN_PROVIDER}`,
] as const;

export function wrapperPathOn(target: OpenClawTarget, script: string): string {
  return `${target.gatewayStateDir}/${script}`;
}

export function desiredAllowlist(target: OpenClawTarget): AllowlistEntry[] {
  return routes.map((r) => {
    const argPattern = wrapperArgPattern(r);
    return { id: allowlistEntryId(r), pattern: wrapperPathOn(target, r.wrapperScript), ...(argPattern !== null ? { argPattern } : {}) };
  });
}

export function desiredApprovals(target: OpenClawTarget): ApprovalsDocument {
  return {
    version: 1,
    defaults: { security: execPolicy.security, ask: execPolicy.ask, askFallback: execPolicy.askFallback, autoAllowSkills: false },
    agents: { [EXEC_AGENT]: { allowlist: desiredAllowlist(target) } },
  };
}

/** the Telegram block as harden writes it: configured, bot token by file, off unless already on and correct */
export function desiredTelegram(target: OpenClawTarget, settings: Settings, enabled: boolean) {
  return { ...telegramBlock(settings.telegram.operatorIds), enabled, tokenFile: target.telegramTokenFile.gatewayPath };
}

export function desiredState(target: OpenClawTarget, settings: Settings, telegramEnabled = false): DesiredState {
  const hostPort = target.kind === 'container' ? settings.gateway.port : gateway.containerPort;
  const exact: Record<string, unknown> = {
    'gateway.mode': 'local',
    'gateway.bind': target.bind,
    'gateway.port': gateway.containerPort,
    'gateway.auth': { mode: 'token', token: { source: 'file', provider: GATEWAY_TOKEN_PROVIDER, id: 'value' } },
    'gateway.controlUi.allowedOrigins': [...new Set(controlUiOrigins(hostPort))],
    'gateway.tools': { allow: [...gatewayToolsAllow] },
    [`secrets.providers.${GATEWAY_TOKEN_PROVIDER}`]: {
      source: 'file',
      path: target.gatewayTokenFile.gatewayPath,
      mode: 'singleValue',
    },
    'channels.telegram': desiredTelegram(target, settings, telegramEnabled),
    tools: {
      profile: toolsPolicy.profile,
      alsoAllow: [...toolsPolicy.alsoAllow],
      deny: [...toolsPolicy.deny],
      exec: { host: execPolicy.host, mode: execPolicy.configMode },
    },
  };
  return { exact, absent: [], approvals: desiredApprovals(target) };
}
