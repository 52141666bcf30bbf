// --json: the report object as is. Its shape is versioned (schemaVersion) and described by
// docs/verify-report.schema.json, generated from src/verify/report-schema.ts.
import type { VerifyReport } from '../engine';

export function renderJson(report: VerifyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
