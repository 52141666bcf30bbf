import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { layout } from '../../src/stack/layout';

const DOCKER_CLI = /\b(docker-ce-cli|docker-ce|docker\.io|docker-cli|moby-cli|podman|get\.docker\.com)\b|--from=docker(:|\s)|\bCOPY\b[^\n]*\/usr\/(local\/)?bin\/docker\b|\bFROM\s+docker:/gi;

export default defineCheck({
  id: '2.2',
  control: 2,
  title: 'The gateway image installs no Docker CLI',
  severity: 'high',
  needs: ['files'],
  rationale:
    'With no socket and no docker binary the gateway has no path to the engine; a docker CLI in the image invites exactly the mount that would make it one.',
  remediation: `Remove the Docker CLI from ${layout.gateway.dockerfile} (re-run \`oss init --force\` to restore the rendered Dockerfile).`,
  run(ctx) {
    const text = ctx.files.text(layout.gateway.dockerfile);
    if (text === null) return verdict([{ file: layout.gateway.dockerfile, message: 'gateway Dockerfile is missing', expected: 'the rendered Dockerfile' }]);
    const out: Evidence[] = [];
    text.split('\n').forEach((line, i) => {
      if (/^\s*#/.test(line)) return;
      DOCKER_CLI.lastIndex = 0;
      const m = DOCKER_CLI.exec(line);
      if (m) out.push({ file: layout.gateway.dockerfile, line: i + 1, found: m[0], expected: 'no Docker CLI', message: 'the gateway image installs a container engine CLI' });
    });
    return verdict(out, 'no Docker CLI in the gateway image');
  },
});
