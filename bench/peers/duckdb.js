// duckdb.js MODULES SHAPE EXPORT - the bench's group-by with DuckDB in
// Node.js (the npm package @duckdb/node-api; MODULES holds its
// node_modules).  Per intent x arm over the rows with consent = 1: the row
// count and, per metric, the count of non-missing values, their sum and
// their sum of squares; SHAPE as in shape.sh:
//   plain   read_csv with converted, bounced and consent read as text and
//           their words (true/false, yes/no) mapped to 1/0
//   quoted  read_csv as it is (it unquotes)
//   units   read_csv into a table (its rowid keeps the file's order), then
//           sessions folded by visitor_id (the first session's intent and
//           arm, the largest outcome, the sum of revenue and exposures,
//           missing when every session's cell is), then the group-by
// Writes CSV: intent,arm,units,M_n,M_sum,M_sumsq,... (see check.py), and
// to standard error the seconds the reading and the group-by took inside
// the process ("bench-inner-seconds S": Node.js's start and the module's
// loading left out).
'use strict';
const path = require('path');
const { createRequire } = require('module');

const [modules, shape, file] = process.argv.slice(2);
const load = createRequire(path.join(path.resolve(modules), 'package.json'));
const METRICS = ['converted', 'bounced', 'unsubscribed', 'revenue', 'exposures'];
const OUTCOMES = ['converted', 'bounced', 'unsubscribed'];
const quote = (s) => "'" + s.replace(/'/g, "''") + "'";

function groupBy(from, value) {
  const select = METRICS.map((m) => {
    const v = value(m);
    return `COUNT(${v}) AS ${m}_n, COALESCE(SUM(${v}), 0) AS ${m}_sum, ` +
      `COALESCE(SUM(${v} * ${v}), 0) AS ${m}_sumsq`;
  });
  return `SELECT intent, arm, COUNT(*) AS units, ${select.join(', ')} FROM ${from} ` +
    'GROUP BY intent, arm ORDER BY intent, arm';
}

function statements() {
  const csv = quote(file);
  if (shape === 'plain') {
    const word = (m, yes, no) =>
      `(CASE ${m} WHEN '${yes}' THEN 1.0 WHEN '${no}' THEN 0.0 END)`;
    const value = (m) => m === 'converted' ? word(m, 'true', 'false')
      : m === 'bounced' ? word(m, 'yes', 'no') : `CAST(${m} AS DOUBLE)`;
    const from = `(SELECT * FROM read_csv(${csv}, types = {'converted': 'VARCHAR', ` +
      `'bounced': 'VARCHAR', 'consent': 'VARCHAR'}) WHERE consent = 'yes')`;
    return [groupBy(from, value)];
  }
  if (shape === 'quoted') {
    return [groupBy(`(SELECT * FROM read_csv(${csv}) WHERE consent = 1)`,
                    (m) => `CAST(${m} AS DOUBLE)`)];
  }
  if (shape === 'units') {
    const fold = METRICS.map((m) => OUTCOMES.includes(m)
      ? `MAX(${m}) AS ${m}` : `SUM(CAST(${m} AS DOUBLE)) AS ${m}`);
    return [
      `CREATE TABLE t AS SELECT * FROM read_csv(${csv})`,
      groupBy('(SELECT arg_min(intent, rowid) AS intent, arg_min(arm, rowid) AS arm, ' +
              `${fold.join(', ')} FROM t WHERE consent = 1 GROUP BY visitor_id)`,
              (m) => `CAST(${m} AS DOUBLE)`),
    ];
  }
  throw new Error('unknown shape ' + shape);
}

async function main() {
  const { DuckDBInstance } = load('@duckdb/node-api');
  const sql = statements();
  const start = process.hrtime.bigint();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const s of sql.slice(0, -1))
    await connection.run(s);
  const reader = await connection.runAndReadAll(sql[sql.length - 1]);
  const rows = reader.getRows();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const names = reader.columnNames();
  const lines = [names.join(',')];
  for (const row of rows)
    lines.push(row.map((v) => String(v)).join(','));
  process.stdout.write(lines.join('\n') + '\n');
  process.stderr.write(`bench-inner-seconds ${seconds.toFixed(6)}\n`);
}

main().catch((e) => {
  process.stderr.write('duckdb.js: ' + e.message + '\n');
  process.exit(1);
});
