// The initial openclaw.json, from the model: hardened defaults, no plaintext secret.
// Secrets are file secret references to the compose secrets mounted at /run/secrets.
import {
  CONTAINER_SECRETS_DIR,
  controlUiOrigins,
  execPolicy,
  gateway,
  gatewayToolsAllow,
  telegramBlock,
  toolsPolicy,
} from '../stack/model';
import type { Settings } from '../stack/settings';

/** OpenClaw secret provider id for the gateway token file */
export const GATEWAY_TOKEN_PROVIDER = 'ossgatewaytoken';

export function openclawConfig(settings: Settings, opts: { bind?: string } = {}) {
  return {
    gateway: {
      mode: 'local',
      bind: opts.bind ?? gateway.bindInContainer,
      port: gateway.containerPort,
      auth: {
        mode: 'token',
        token: { source: 'file', provider: GATEWAY_TOKEN_PROVIDER, id: 'value' },
      },
      controlUi: { allowedOrigins: controlUiOrigins(settings.gateway.port) },
      tools: { allow: [...gatewayToolsAllow] },
    },
    secrets: {
      providers: {
        [GATEWAY_TOKEN_PROVIDER]: {
          source: 'file',
          path: `${CONTAINER_SECRETS_DIR}/gateway_token`,
          mode: 'singleValue',
        },
      },
    },
    channels: { telegram: telegramBlock(settings.telegram.operatorIds) },
    tools: {
      profile: toolsPolicy.profile,
      alsoAllow: [...toolsPolicy.alsoAllow],
      deny: [...toolsPolicy.deny],
      exec: { host: execPolicy.host, mode: execPolicy.configMode },
    },
  };
}

export function renderOpenclawConfig(settings: Settings): string {
  return `${JSON.stringify(openclawConfig(settings), null, 2)}\n`;
}
