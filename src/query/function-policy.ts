// Which functions an untrusted query may call: an ALLOWLIST of built-in pg_catalog
// functions that only compute a value from their arguments or read the query's own rows.
//
// Why an allowlist: a denylist must name every side effect PostgreSQL and its extensions
// can reach (sequences, settings, advisory locks, large objects, server files, backend
// signals, notifications, WAL and replication control, dblink, ...) and silently allows
// whatever the next release or an installed extension adds. An allowlist fails closed:
// an honest query that needs a function we forgot is refused with the function's name,
// and the fix is one reviewed line here.
//
// A call is allowed when its name is in this set and it is unqualified or qualified with
// pg_catalog (the runner fixes search_path to `pg_catalog, <schema>`, and the read-only
// role cannot create functions). Names compare case-sensitively, as PostgreSQL resolves
// them: the parser already lower-cases unquoted identifiers.

const aggregate = [
  'count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'string_agg', 'array_agg',
  'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg', 'stddev', 'stddev_pop', 'stddev_samp',
  'variance', 'var_pop', 'var_samp', 'corr', 'covar_pop', 'covar_samp', 'regr_avgx', 'regr_avgy',
  'regr_count', 'regr_intercept', 'regr_r2', 'regr_slope', 'regr_sxx', 'regr_sxy', 'regr_syy',
  'percentile_cont', 'percentile_disc', 'mode', 'bit_and', 'bit_or', 'bit_xor', 'any_value',
];

const window = [
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead',
  'first_value', 'last_value', 'nth_value',
];

const math = [
  'abs', 'ceil', 'ceiling', 'floor', 'round', 'trunc', 'sign', 'sqrt', 'cbrt', 'power', 'pow', 'exp',
  'ln', 'log', 'log10', 'mod', 'div', 'pi', 'degrees', 'radians', 'sin', 'cos', 'tan', 'asin', 'acos',
  'atan', 'atan2', 'width_bucket', 'gcd', 'lcm', 'factorial', 'scale', 'min_scale', 'trim_scale',
  'random', 'num_nulls', 'num_nonnulls',
];

const text = [
  'length', 'char_length', 'character_length', 'octet_length', 'bit_length', 'lower', 'upper', 'initcap',
  'substr', 'substring', 'position', 'strpos', 'replace', 'translate', 'btrim', 'ltrim', 'rtrim', 'lpad',
  'rpad', 'left', 'right', 'repeat', 'concat', 'concat_ws', 'format', 'split_part', 'reverse',
  'starts_with', 'md5', 'sha224', 'sha256', 'sha384', 'sha512', 'encode', 'decode', 'to_hex', 'ascii',
  'chr', 'quote_ident', 'quote_literal', 'quote_nullable', 'regexp_match', 'regexp_matches',
  'regexp_replace', 'regexp_split_to_array', 'regexp_split_to_table', 'regexp_count', 'regexp_instr',
  'regexp_like', 'regexp_substr', 'string_to_array', 'string_to_table', 'array_to_string', 'overlay',
  'normalize', 'is_normalized', 'unistr', 'like_escape', 'similar_to_escape', 'similar_escape',
];

const time = [
  'now', 'clock_timestamp', 'statement_timestamp', 'transaction_timestamp', 'date_trunc', 'date_part',
  'extract', 'date_bin', 'age', 'make_date', 'make_time', 'make_timestamp', 'make_timestamptz',
  'make_interval', 'to_char', 'to_date', 'to_timestamp', 'to_number', 'justify_days', 'justify_hours',
  'justify_interval', 'isfinite', 'date_add', 'date_subtract', 'timezone', 'overlaps',
];

const json = [
  'json_build_object', 'jsonb_build_object', 'json_build_array', 'jsonb_build_array', 'to_json', 'to_jsonb',
  'json_object', 'jsonb_object', 'row_to_json', 'array_to_json', 'json_array_length', 'jsonb_array_length',
  'json_each', 'jsonb_each', 'json_each_text', 'jsonb_each_text', 'json_extract_path', 'jsonb_extract_path',
  'json_extract_path_text', 'jsonb_extract_path_text', 'json_object_keys', 'jsonb_object_keys',
  'json_array_elements', 'jsonb_array_elements', 'json_array_elements_text', 'jsonb_array_elements_text',
  'json_typeof', 'jsonb_typeof', 'jsonb_pretty', 'jsonb_set', 'jsonb_insert', 'json_strip_nulls',
  'jsonb_strip_nulls', 'jsonb_path_query', 'jsonb_path_exists', 'jsonb_path_match', 'jsonb_path_query_array',
  'jsonb_path_query_first', 'json_to_record', 'jsonb_to_record', 'json_to_recordset', 'jsonb_to_recordset',
];

const array = [
  'array_length', 'array_lower', 'array_upper', 'array_dims', 'array_ndims', 'cardinality', 'array_position',
  'array_positions', 'array_append', 'array_prepend', 'array_cat', 'array_remove', 'array_replace',
  'array_fill', 'trim_array', 'unnest', 'generate_series', 'generate_subscripts',
];

const textSearch = [
  'to_tsvector', 'to_tsquery', 'plainto_tsquery', 'phraseto_tsquery', 'websearch_to_tsquery', 'ts_rank',
  'ts_rank_cd', 'ts_headline',
];

const conversionAndInfo = [
  'date', 'text', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'bool', 'pg_typeof', 'format_type',
  'current_database', 'current_schema', 'gen_random_uuid',
];

export const allowedFunctions: ReadonlySet<string> = new Set([
  ...aggregate, ...window, ...math, ...text, ...time, ...json, ...array, ...textSearch, ...conversionAndInfo,
]);

/**
 * Side effects a denylist would have to chase; none is in the allowlist. Kept as data so
 * the tests prove each of them is refused, and so a reviewer adding a name to the allowlist
 * sees what class of function must never be there.
 */
export const knownSideEffectFunctions: readonly string[] = [
  'nextval', 'setval', 'currval', 'lastval', 'set_config', 'current_setting', 'setseed',
  'pg_sleep', 'pg_sleep_for', 'pg_sleep_until',
  'pg_terminate_backend', 'pg_cancel_backend', 'pg_reload_conf', 'pg_rotate_logfile', 'pg_switch_wal',
  'pg_create_restore_point', 'pg_promote', 'pg_log_backend_memory_contexts',
  'lo_import', 'lo_export', 'lo_create', 'lo_creat', 'lo_unlink', 'lo_put', 'lo_from_bytea', 'lo_get', 'loread', 'lowrite', 'lo_open',
  'pg_read_file', 'pg_read_binary_file', 'pg_ls_dir', 'pg_stat_file', 'pg_ls_logdir', 'pg_ls_waldir',
  'dblink', 'dblink_exec', 'dblink_connect',
  'pg_advisory_lock', 'pg_advisory_xact_lock', 'pg_try_advisory_lock', 'pg_advisory_unlock_all',
  'txid_current', 'pg_current_xact_id',
  'pg_notify', 'pg_create_logical_replication_slot', 'pg_drop_replication_slot', 'pg_logical_emit_message',
  'query_to_xml', 'query_to_xml_and_xmlschema', 'table_to_xml', 'cursor_to_xml', 'database_to_xml',
  'pg_stat_reset', 'pg_stat_statements_reset', 'pg_prewarm',
];

export interface FunctionVerdict {
  allowed: boolean;
  /** the name as written, e.g. "pg_catalog.set_config" */
  name: string;
  reason?: string;
}

/** judge a call by its parsed name parts (["count"] or ["pg_catalog", "count"]) */
export function judgeFunction(parts: string[]): FunctionVerdict {
  const name = parts.join('.');
  if (parts.length > 2 || parts.length === 0) return { allowed: false, name, reason: `function ${name}() is not allowed (qualified name)` };
  if (parts.length === 2 && parts[0] !== 'pg_catalog') {
    return { allowed: false, name, reason: `function ${name}() is not allowed: only built-in pg_catalog functions may be called` };
  }
  const base = parts[parts.length - 1]!;
  if (!allowedFunctions.has(base)) {
    return { allowed: false, name, reason: `function ${name}() is not on the read-only allowlist` };
  }
  return { allowed: true, name };
}
