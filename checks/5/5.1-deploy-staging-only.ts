import { defineCheck, verdict, type Evidence } from '../../src/verify/check';
import { layout, wrapperFile } from '../../src/stack/layout';
import { routes } from '../../src/stack/model';

const route = routes.find((r) => r.name === 'deploy-staging')!;

/** lines that do something: no blank lines, no comments */
function codeLines(text: string): { l: string; line: number }[] {
  return text
    .split('\n')
    .map((l, i) => ({ l: l.trim(), line: i + 1 }))
    .filter(({ l }) => l !== '' && !l.startsWith('#'));
}

const FORWARDS_INPUT = /\$[@*1-9]|\$\{[@*1-9]/;
const PRODUCTION = /\bprod(uction)?\b/i;

export default defineCheck({
  id: '5.1',
  control: 5,
  title: 'The deploy takes no input at all and targets staging only',
  severity: 'critical',
  needs: ['files'],
  rationale:
    'A deploy the agent can parametrise is a deploy it can aim at production. The route carries no field, the gateway wrapper forwards no argument, and the worker entry refuses arguments, never reads stdin and names no production target.',
  remediation: `Re-render with \`oss init --force\` so ${wrapperFile(route)} forwards nothing and ${layout.deployRunner.entry} runs its fixed staging steps; keep production deploys out of this stack.`,
  run(ctx) {
    const out: Evidence[] = [];
    if (route.field !== null) out.push({ message: 'the deploy-staging route accepts an input field', found: route.field, expected: 'no field' });

    const wrapper = wrapperFile(route);
    const wtext = ctx.files.text(wrapper);
    if (wtext === null) out.push({ file: wrapper, message: 'the deploy wrapper is missing', expected: 'a wrapper that calls the bridge with no input' });
    else {
      for (const { l, line } of codeLines(wtext)) {
        if (/bridge-client/.test(l) && FORWARDS_INPUT.test(l)) {
          out.push({ file: wrapper, line, found: l, expected: `exec node …/bridge-client.cjs ${route.name}`, message: 'the deploy wrapper forwards its arguments to the bridge' });
        }
      }
      if (!codeLines(wtext).some(({ l }) => /"\$#"\s+-ne\s+0|\$#\s+-ne\s+0/.test(l))) {
        out.push({ file: wrapper, message: 'the deploy wrapper does not refuse arguments', expected: 'if [ "$#" -ne 0 ]; then … exit 2' });
      }
    }

    const entry = layout.deployRunner.entry;
    const etext = ctx.files.text(entry);
    if (etext === null) out.push({ file: entry, message: 'the deploy worker entry is missing', expected: 'fixed staging steps' });
    else {
      const code = codeLines(etext);
      if (!code.some(({ l }) => /"\$#"\s+-ne\s+0/.test(l))) out.push({ file: entry, message: 'the deploy entry does not refuse arguments', expected: 'if [ "$#" -ne 0 ]; then … exit 2' });
      if (!code.some(({ l }) => l === 'exec </dev/null')) out.push({ file: entry, message: 'the deploy entry may read input from stdin', expected: 'exec </dev/null before any step' });
      for (const { l, line } of code) {
        if (PRODUCTION.test(l)) out.push({ file: entry, line, found: l, expected: 'staging only', message: 'the deploy entry names a production target' });
        if (FORWARDS_INPUT.test(l)) out.push({ file: entry, line, found: l, expected: 'no use of arguments', message: 'the deploy entry uses its arguments' });
      }
      if (!code.some(({ l }) => /^TARGET=staging$/.test(l))) out.push({ file: entry, message: 'the deploy entry does not pin its target to staging', expected: 'TARGET=staging' });
    }
    return verdict(out, 'zero-input deploy with a fixed staging target');
  },
});
