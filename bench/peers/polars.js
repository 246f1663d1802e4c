// polars.js MODULES SHAPE EXPORT - the bench's group-by with Polars in
// Node.js (the npm package nodejs-polars; MODULES holds its node_modules).
// Per intent x arm over the rows with consent = 1: the row count and, per
// metric, the count of non-missing values, their sum and their sum of
// squares; SHAPE as in shape.sh:
//   plain   readCSV with converted, bounced and consent read as text and
//           their words (true/false, yes/no) mapped to 1/0
//   quoted  readCSV as it is (it unquotes)
//   units   sessions folded by visitor_id first (the first session's
//           intent and arm, the largest outcome, the sum of revenue and
//           exposures, missing when every session's cell is; a group keeps
//           the file's order of its rows), then the group-by
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

function summarize(pl, frame) {
  const aggregates = [pl.col('arm').count().alias('units')];
  for (const m of METRICS) {
    const v = pl.col(m);
    aggregates.push(v.count().alias(m + '_n'), v.sum().alias(m + '_sum'),
                    v.mul(v).sum().alias(m + '_sumsq'));
  }
  return frame.groupBy(['intent', 'arm']).agg(...aggregates).sort(['intent', 'arm']);
}

function run(pl) {
  const columns = ['intent', 'arm', 'consent', ...METRICS];
  if (shape === 'plain') {
    const text = { converted: pl.Utf8, bounced: pl.Utf8, consent: pl.Utf8 };
    let frame = pl.readCSV(file, { columns, dtypes: text });
    frame = frame.filter(pl.col('consent').eq(pl.lit('yes'))).withColumns(
      pl.col('converted').eq(pl.lit('true')).cast(pl.Float64).alias('converted'),
      pl.col('bounced').eq(pl.lit('yes')).cast(pl.Float64).alias('bounced'));
    return summarize(pl, frame);
  }
  if (shape === 'quoted')
    return summarize(pl, pl.readCSV(file, { columns }).filter(pl.col('consent').eq(1)));
  if (shape === 'units') {
    const frame = pl.readCSV(file, { columns: ['visitor_id', ...columns] })
      .filter(pl.col('consent').eq(1));
    const fold = [pl.col('intent').first(), pl.col('arm').first()];
    for (const m of METRICS) {
      const v = pl.col(m);
      fold.push(OUTCOMES.includes(m) ? v.max().alias(m)
        : pl.when(v.count().gt(0)).then(v.cast(pl.Float64).sum())
          .otherwise(pl.lit(null)).alias(m));
    }
    return summarize(pl, frame.groupBy('visitor_id').agg(...fold));
  }
  throw new Error('unknown shape ' + shape);
}

function main() {
  const pl = load('nodejs-polars');
  const start = process.hrtime.bigint();
  const result = run(pl);
  const rows = result.rows();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const lines = [result.columns.join(',')];
  for (const row of rows)
    lines.push(row.map((v) => String(v)).join(','));
  process.stdout.write(lines.join('\n') + '\n');
  process.stderr.write(`bench-inner-seconds ${seconds.toFixed(6)}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write('polars.js: ' + e.message + '\n');
  process.exit(1);
}
