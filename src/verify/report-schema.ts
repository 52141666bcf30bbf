// The --json report, schema version 1, as a zod schema: tests validate real output with
// it and docs/verify-report.schema.json (JSON Schema) is generated from it. A change
// that breaks consumers bumps REPORT_SCHEMA_VERSION; additions keep it.
import { z } from 'zod';

const severity = z.enum(['low', 'medium', 'high', 'critical']);

export const evidenceSchema = z
  .object({
    file: z.string().optional().describe('file relative to the stack dir (absolute for --local OpenClaw homes)'),
    path: z.string().optional().describe('key path inside the file, e.g. services.gateway.ports[0]'),
    line: z.number().int().positive().optional(),
    found: z.string().optional().describe('what is there; never a secret value'),
    expected: z.string().optional(),
    message: z.string(),
  })
  .strict();

export const resultSchema = z
  .object({
    id: z.string().regex(/^(?:[1-9]|10|C|S)\.[0-9]+$/),
    control: z.string().describe('checklist control 1-10, "C" compose properties, "S" secrets at rest'),
    title: z.string(),
    severity,
    needs: z.array(z.enum(['files', 'docker', 'openclaw', 'network', 'redteam'])),
    status: z.enum(['pass', 'fail', 'skip', 'error', 'waived']),
    reason: z.string().optional().describe('why a check was skipped or errored'),
    evidence: z.array(evidenceSchema),
    remediation: z.string(),
    waiver: z.object({ reason: z.string(), expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), expired: z.boolean() }).strict().optional(),
    failsRun: z.boolean().describe('this result makes the run exit 1'),
    durationMs: z.number().nonnegative(),
  })
  .strict();

export const reportSchema = z
  .object({
    schemaVersion: z.literal(1),
    tool: z.object({ name: z.literal('oss'), version: z.string() }).strict(),
    dir: z.string(),
    mode: z.object({ static: z.boolean(), deep: z.boolean(), redteam: z.boolean(), local: z.boolean() }).strict(),
    failOn: severity,
    startedAt: z.string().datetime(),
    durationMs: z.number().nonnegative(),
    exitCode: z.union([z.literal(0), z.literal(1)]),
    summary: z.object({ total: z.number().int(), pass: z.number().int(), fail: z.number().int(), skip: z.number().int(), error: z.number().int(), waived: z.number().int() }).strict(),
    results: z.array(resultSchema),
  })
  .strict()
  .describe('oss verify --json report');

export function reportJsonSchema(): Record<string, unknown> {
  return {
    title: 'oss verify report (schemaVersion 1)',
    ...(z.toJSONSchema(reportSchema) as Record<string, unknown>),
  };
}
