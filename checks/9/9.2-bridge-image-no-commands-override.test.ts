// 9.2 on the hardened render (must pass) and on each way a local-command mode could be
// switched on in the image, the compose service or the bundle (must fail, pointing at it).
import { afterAll, describe, expect, test } from 'vitest';
import { expectAllPass, expectCaught, verifyStatic, type Mutation } from '../../test/checks/harness';
import { cleanupStacks, hardenedStack, override, read, write } from '../../test/verify/fixture';
import { layout } from '../../src/stack/layout';

afterAll(cleanupStacks);
const DF = layout.bridge.dockerfile;
const OV = 'docker-compose.override.yml';

describe('9.2 bridge image has no --commands override', () => {
  test('the hardened render passes', async () => {
    const d = hardenedStack();
    await expectAllPass(d);
    const r = (await verifyStatic(d, ['9.2'])).results.find((x) => x.id === '9.2')!;
    expect(r.status).toBe('pass');
  });

  const cases: Mutation[] = [
    {
      name: 'CMD with --commands',
      mutate: (d) => write(d, DF, `${read(d, DF)}CMD ["node", "/app/bridge.cjs", "--commands", "/app/cmds.json"]\n`),
      evidence: { file: DF, line: 'any', message: /Dockerfile sets a local-command mode/ },
      alsoFails: ['3.2'],
    },
    {
      name: 'ENV OSS_BRIDGE_COMMANDS in the Dockerfile',
      mutate: (d) => write(d, DF, read(d, DF).replace(/^USER /m, 'ENV OSS_BRIDGE_COMMANDS=/app/cmds.json\nUSER ')),
      evidence: { file: DF, found: 'ENV OSS_BRIDGE_COMMANDS=/app/cmds.json' },
      alsoFails: ['3.2'],
    },
    {
      name: 'compose command with --commands',
      mutate: (d) => override(d, 'services:\n  bridge:\n    command: ["node", "/app/bridge.cjs", "--commands", "/x.json"]\n'),
      evidence: { file: OV, path: 'services.bridge.command[2]', found: '"--commands"' },
    },
    {
      name: 'compose entrypoint string with --commands=',
      mutate: (d) => override(d, 'services:\n  bridge:\n    entrypoint: "oss bridge serve --commands=/x.json"\n'),
      evidence: { file: OV, path: 'services.bridge.entrypoint' },
    },
    {
      name: 'compose environment OSS_BRIDGE_COMMANDS',
      mutate: (d) => override(d, 'services:\n  bridge:\n    environment:\n      OSS_BRIDGE_COMMANDS: /x.json\n'),
      evidence: { file: OV, path: 'services.bridge.environment.OSS_BRIDGE_COMMANDS', found: 'OSS_BRIDGE_COMMANDS' },
      alsoFails: ['C.15'],
    },
    {
      name: 'a bundle that understands --commands',
      mutate: (d) => write(d, layout.bridge.bundle, `${read(d, layout.bridge.bundle)}\n;process.argv.includes("--commands");\n`),
      evidence: { file: layout.bridge.bundle, message: /bundle understands a local-command switch/ },
      alsoFails: ['3.2'],
    },
  ];
  for (const m of cases) test(`fails on ${m.name}`, () => expectCaught('9.2', m).then(() => undefined));

  test('a comment naming the switch is not a finding', async () => {
    const d = hardenedStack();
    write(d, DF, `${read(d, DF)}# never add --commands here\n`);
    const r = (await verifyStatic(d, ['9.2'])).results.find((x) => x.id === '9.2')!;
    expect(r.status).toBe('pass');
  });
});
