// Validation of one untrusted SQL string with the real PostgreSQL grammar. The runner
// does not trust this alone (see runner.ts); this is the first of two independent gates.
import { query as queryModel } from '../stack/model';
import { judgeFunction } from './function-policy';
import { loadParser, parseSql, SqlSyntaxError } from './pg-parser';

export type Refused = { ok: false; reason: string };
/** an accepted query: `statement` is its one statement exactly as the parser saw it */
export type Accepted = { ok: true; sql: string; statement: string };
export type Verdict = Accepted | Refused;

const refuse = (reason: string): Refused => ({ ok: false, reason });

/**
 * Decode the bytes read from stdin. NUL and invalid UTF-8 are refused before parsing:
 * libpg_query reads a C string and stops at the first NUL, while the server would see
 * the whole text.
 */
export function decodeInput(bytes: Uint8Array): { ok: true; text: string } | Refused {
  if (bytes.includes(0)) return refuse('input contains a NUL byte');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return refuse('input is not valid UTF-8');
  }
  return { ok: true, text };
}

/** characters as a person counts them (code points, not UTF-16 units) */
function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export interface ValidateOptions {
  maxInputChars?: number;
}

/** validate already-decoded SQL text; the parser must be loaded (`await loadParser()`) */
export function validateSql(sql: string, opts: ValidateOptions = {}): Verdict {
  const max = opts.maxInputChars ?? queryModel.maxInputChars;
  if (sql.includes('\0')) return refuse('input contains a NUL byte');
  if (sql.trim() === '') return refuse('empty query');
  const chars = charCount(sql);
  if (chars > max) return refuse(`query is ${chars} characters; the limit is ${max}`);

  let tree;
  try {
    tree = parseSql(sql);
  } catch (err) {
    if (err instanceof SqlSyntaxError) {
      const at = err.position === undefined ? '' : ` at character ${err.position + 1}`;
      return refuse(`not valid SQL: ${err.message}${at}`);
    }
    throw err;
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length === 0) return refuse('empty query (only comments or semicolons)');
  if (stmts.length > 1) return refuse(`exactly one statement is allowed; found ${stmts.length}`);
  const stmt = stmts[0]!.stmt as Record<string, unknown> | undefined;
  const kind = stmt ? Object.keys(stmt)[0] : undefined;
  if (kind !== 'SelectStmt') {
    return refuse(`only a read (SELECT, VALUES, TABLE, WITH ... SELECT) is allowed; found ${describe(kind)}`);
  }
  const problem = findProblem(stmt);
  if (problem) return refuse(problem);
  // The statement's own span (libpg_query reports UTF-8 byte offsets): no trailing
  // semicolon, nothing the parser did not see as this statement.
  const raw = stmts[0]!;
  const bytes = Buffer.from(sql, 'utf8');
  const start = raw.stmt_location ?? 0;
  const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
  return { ok: true, sql, statement: bytes.subarray(start, end).toString('utf8') };
}

/** the whole gate: bytes in, verdict out */
export async function validateInput(
  bytes: Uint8Array,
  opts: ValidateOptions = {},
): Promise<Verdict> {
  const decoded = decodeInput(bytes);
  if (!decoded.ok) return decoded;
  await loadParser();
  return validateSql(decoded.text, opts);
}

function describe(nodeKind: string | undefined): string {
  if (!nodeKind) return 'no statement';
  // InsertStmt -> INSERT, VariableSetStmt -> a utility statement (VariableSetStmt)
  const dml: Record<string, string> = {
    InsertStmt: 'INSERT',
    UpdateStmt: 'UPDATE',
    DeleteStmt: 'DELETE',
    MergeStmt: 'MERGE',
  };
  return dml[nodeKind] ?? `a utility statement (${nodeKind})`;
}

const fmtName = (list: unknown): string[] =>
  Array.isArray(list)
    ? list.map((n) => (n as { String?: { sval?: string } }).String?.sval ?? '?')
    : [];

/** walk every node of the tree; return the first reason to refuse, or undefined */
function findProblem(root: unknown): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const problem = judgeNode(key, value);
      if (problem) return problem;
      if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return undefined;
}

function judgeNode(key: string, value: unknown): string | undefined {
  if (key.endsWith('Stmt') && key !== 'SelectStmt') {
    return key === 'InsertStmt' || key === 'UpdateStmt' || key === 'DeleteStmt' || key === 'MergeStmt'
      ? `data-modifying ${describe(key)} inside the query (e.g. a writable CTE) is not allowed`
      : `${describe(key)} is not allowed`;
  }
  const v = value as Record<string, unknown>;
  switch (key) {
    case 'SelectStmt':
      if (v.intoClause) return 'SELECT ... INTO creates a table and is not allowed';
      if (Array.isArray(v.lockingClause) && v.lockingClause.length > 0) {
        return 'locking clauses (FOR UPDATE / FOR SHARE / ...) are not allowed';
      }
      return undefined;
    case 'FuncCall': {
      const verdict = judgeFunction(fmtName(v.funcname));
      return verdict.allowed ? undefined : verdict.reason;
    }
    case 'A_Expr': {
      const op = fmtName(v.name);
      if (op.length > 1 && op[0] !== 'pg_catalog') return `operator ${op.join('.')} is not allowed: only pg_catalog operators`;
      return undefined;
    }
    case 'ParamRef':
      return 'parameters ($1, ...) are not supported';
    default:
      return undefined;
  }
}
