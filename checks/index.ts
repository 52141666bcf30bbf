// The check registry: an explicit list of imports, so the bundle contains every check.
// Add a line per new check (static ids X.1-X.19 live here; live checks use their own
// ranges, e.g. 7.2x, 10.2x, X.3x). Live data providers register themselves in modules
// imported under "providers" below (see src/verify/providers.ts).
import type { CheckDefinition } from '../src/verify/check';

import c_1_1 from './1/1.1-ports-loopback';
import c_1_2 from './1/1.2-only-gateway-published';
import c_1_3 from './1/1.3-gateway-bind-lan';
import c_1_4 from './1/1.4-control-ui-origins';
import c_2_1 from './2/2.1-docker-socket-mounts';
import c_2_2 from './2/2.2-gateway-no-docker-cli';
import c_3_1 from './3/3.1-bridge-route-table';
import c_3_2 from './3/3.2-manifest-drift';
import c_4_1 from './4/4.1-codex-key-file-only';
import c_5_1 from './5/5.1-deploy-staging-only';
import c_6_11 from './6/6.11-query-worker-runs-runner';
import c_6_12 from './6/6.12-dsn-not-in-env';
import c_7_1 from './7/7.1-telegram-dm-allowlist';
import c_7_2 from './7/7.2-telegram-groups-mention';
import c_7_21 from './7/7.21-telegram-live-block';
import c_8_1 from './8/8.1-no-unfinished-rotation';
import c_8_2 from './8/8.2-generated-tokens-strong';
import c_8_31 from './8/8.31-consumers-restarted-after-rotation';
import c_9_1 from './9/9.1-bridge-internal-only';
import c_9_2 from './9/9.2-bridge-image-no-commands-override';
import c_10_1 from './10/10.1-tools-profile-minimal';
import c_10_2 from './10/10.2-exec-also-allowed';
import c_10_3 from './10/10.3-tools-deny-complete';
import c_10_4 from './10/10.4-tools-deny-known-names';
import c_10_5 from './10/10.5-gateway-tools-allow';
import c_10_6 from './10/10.6-no-agent-tool-overrides';
import c_10_7 from './10/10.7-exec-policy-config';
import c_10_21 from './10/10.21-exec-approvals-defaults';
import c_10_22 from './10/10.22-allowlist-exactly-wrappers';
import c_10_23 from './10/10.23-tools-policy-effective';
import c_10_24 from './10/10.24-gateway-auth-exposure';
import c_10_25 from './10/10.25-no-plaintext-secret-copies';
import c_10_26 from './10/10.26-effective-exec-policy';
import c_10_27 from './10/10.27-openclaw-security-audit';
import c_10_28 from './10/10.28-redteam-fenced';
import c_C_1 from './C/C.1-no-privileged';
import c_C_2 from './C/C.2-no-cap-add';
import c_C_3 from './C/C.3-cap-drop-all';
import c_C_4 from './C/C.4-no-new-privileges';
import c_C_5 from './C/C.5-no-unconfined-profiles';
import c_C_6 from './C/C.6-no-host-namespaces';
import c_C_7 from './C/C.7-no-devices';
import c_C_8 from './C/C.8-resource-limits';
import c_C_9 from './C/C.9-log-rotation';
import c_C_10 from './C/C.10-restart-policy';
import c_C_11 from './C/C.11-non-root-user';
import c_C_12 from './C/C.12-read-only-rootfs';
import c_C_13 from './C/C.13-init-process';
import c_C_14 from './C/C.14-healthcheck';
import c_C_15 from './C/C.15-env-allowlist';
import c_C_16 from './C/C.16-internal-networks';
import c_C_17 from './C/C.17-pinned-images';
import c_C_18 from './C/C.18-services-match-model';
import c_S_1 from './S/S.1-secret-file-modes';
import c_S_2 from './S/S.2-secrets-git-ignored';
import c_S_3 from './S/S.3-no-plaintext-secrets';
import c_S_4 from './S/S.4-no-config-backups';
import c_S_5 from './S/S.5-no-temp-files';
import c_S_6 from './S/S.6-compose-file-secrets';
import c_S_7 from './S/S.7-openclaw-secret-refs';

// live checks on the running stack (docker provider)
import c_1_31 from './1/1.31-gateway-loopback-live';
import c_1_32 from './1/1.32-gateway-from-container';
import c_2_31 from './2/2.31-gateway-no-socket-live';
import c_2_32 from './2/2.32-only-proxy-holds-socket';
import c_9_31 from './9/9.31-bridge-unreachable-from-host';
import c_9_32 from './9/9.32-bridge-behaviour-live';
import c_9_33 from './9/9.33-proxy-refuses-from-bridge';
import c_9_34 from './9/9.34-internal-no-host-access';
import c_C_31 from './C/C.31-running-hardening';
import c_C_32 from './C/C.32-running-resource-limits';
import c_C_33 from './C/C.33-stack-healthy';

// providers (live views): import './../src/<area>/verify-provider';
import '../src/openclaw/verify-provider';
import '../src/docker/verify-provider';

export const checks: readonly CheckDefinition[] = [
  c_1_1,
  c_1_2,
  c_1_3,
  c_1_4,
  c_1_31,
  c_1_32,
  c_2_1,
  c_2_2,
  c_2_31,
  c_2_32,
  c_3_1,
  c_3_2,
  c_4_1,
  c_5_1,
  c_6_11,
  c_6_12,
  c_7_1,
  c_7_2,
  c_7_21,
  c_8_1,
  c_8_2,
  c_8_31,
  c_9_1,
  c_9_2,
  c_9_31,
  c_9_32,
  c_9_33,
  c_9_34,
  c_10_1,
  c_10_2,
  c_10_3,
  c_10_4,
  c_10_5,
  c_10_6,
  c_10_7,
  c_10_21,
  c_10_22,
  c_10_23,
  c_10_24,
  c_10_25,
  c_10_26,
  c_10_27,
  c_10_28,
  c_C_1,
  c_C_2,
  c_C_3,
  c_C_4,
  c_C_5,
  c_C_6,
  c_C_7,
  c_C_8,
  c_C_9,
  c_C_10,
  c_C_11,
  c_C_12,
  c_C_13,
  c_C_14,
  c_C_15,
  c_C_16,
  c_C_17,
  c_C_18,
  c_C_31,
  c_C_32,
  c_C_33,
  c_S_1,
  c_S_2,
  c_S_3,
  c_S_4,
  c_S_5,
  c_S_6,
  c_S_7,
];
