// --sarif FILE: SARIF 2.1.0. One rule per check, one result per finding of a failing (or
// erroring) check, with the stack file and line; waived findings carry a suppression.
import { createHash } from 'node:crypto';
import type { CheckResult, VerifyReport } from '../engine';
import type { Severity } from '../check';

const LEVEL: Record<Severity, 'note' | 'warning' | 'error'> = { low: 'note', medium: 'warning', high: 'error', critical: 'error' };
const SCORE: Record<Severity, string> = { low: '3.0', medium: '5.5', high: '8.0', critical: '9.5' };

function messageText(e: { message: string; found?: string; expected?: string }): string {
  const parts = [e.found !== undefined ? `found: ${e.found}` : '', e.expected !== undefined ? `expected: ${e.expected}` : ''].filter(Boolean);
  return parts.length ? `${e.message} (${parts.join('; ')})` : e.message;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function buildSarif(report: VerifyReport, allChecks: readonly { id: string; title: string; rationale: string; remediation: string; severity: Severity; control: string | number }[]) {
  const rules = allChecks.map((c) => ({
    id: c.id,
    name: c.title.replace(/[^A-Za-z0-9]+/g, ' ').trim().replace(/ (\w)/g, (_m, ch: string) => ch.toUpperCase()).replace(/^\w/, (ch) => ch.toUpperCase()),
    shortDescription: { text: c.title },
    fullDescription: { text: c.rationale },
    help: { text: `Remediation: ${c.remediation}` },
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { 'security-severity': SCORE[c.severity], control: String(c.control), tags: ['security', `control-${c.control}`] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.results
    .filter((r): r is CheckResult => r.status === 'fail' || r.status === 'error' || r.status === 'waived')
    .flatMap((r) => {
      const evidence = r.evidence.length > 0 ? r.evidence : [{ message: r.reason ?? r.title }];
      return evidence.map((e) => ({
        ruleId: r.id,
        ruleIndex: ruleIndex.get(r.id) ?? 0,
        level: r.status === 'error' ? 'error' : LEVEL[r.severity],
        message: { text: messageText(e) },
        // stable across runs (no line numbers): code-scanning UIs track a finding by it
        partialFingerprints: { 'ossFinding/v1': createHash('sha256').update([r.id, 'file' in e ? e.file : '', 'path' in e ? e.path : '', e.message].join('\u0000')).digest('hex').slice(0, 32) },
        ...('file' in e && e.file
          ? {
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: e.file, uriBaseId: 'STACKDIR' },
                    ...(e.line ? { region: { startLine: e.line } } : {}),
                  },
                  ...('path' in e && e.path ? { logicalLocations: [{ fullyQualifiedName: e.path, kind: 'member' }] } : {}),
                },
              ],
            }
          : {}),
        ...(r.status === 'waived' && r.waiver ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${r.waiver.reason} (until ${r.waiver.expires})` }] } : {}),
      }));
    });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'oss', version: report.tool.version, rules } },
        originalUriBaseIds: { STACKDIR: { uri: `file://${report.dir.replace(/\/?$/, '/')}` } },
        invocations: [{ executionSuccessful: true, startTimeUtc: report.startedAt }],
        results,
      },
    ],
  };
}

export function renderSarif(report: VerifyReport, allChecks: Parameters<typeof buildSarif>[1]): string {
  return `${JSON.stringify(buildSarif(report, allChecks), null, 2)}\n`;
}
