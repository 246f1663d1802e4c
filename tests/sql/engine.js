// engine.js - run SQL on an embedded engine through Node.js, for the
// round trips of tests/sql/engines.sh.
//
// Usage: node engine.js MODULES ENGINE SETUP.sql [QUERY.sql OUT.csv]...
//   MODULES  the folder holding node_modules (make test-sql installs the
//            packages into build/npm)
//   ENGINE   duckdb (the npm package @duckdb/node-api) or clickhouse (the
//            npm package chdb, ClickHouse embedded in the process)
//   SETUP    statements run first, one per line group ending in ';' at the
//            end of a line (CREATE TABLE ... AS SELECT ... FROM a CSV)
//   QUERY    one statement (tact-sql's output); its result is written to
//            OUT as CSV with a header: ClickHouse's own CSVWithNames, and
//            for DuckDB its own COPY ... TO (HEADER), as an analyst exports
//            from either engine's CLI.
// Exits 1 with the engine's message when a statement fails.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [modules, engine, setupFile, ...pairs] = process.argv.slice(2);
if (!modules || !engine || !setupFile || pairs.length % 2 !== 0) {
  process.stderr.write('usage: node engine.js MODULES ENGINE SETUP.sql ' +
                       '[QUERY.sql OUT.csv]...\n');
  process.exit(64);
}
const load = createRequire(path.join(path.resolve(modules), 'package.json'));

function statements(file) {
  return fs.readFileSync(file, 'utf8').split(/;[ \t]*\n/)
    .map((s) => s.trim()).filter((s) => s.length > 0);
}

function quoteString(s) {
  return "'" + s.replace(/'/g, "''") + "'";
}

async function runDuckDB() {
  const { DuckDBInstance } = load('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const s of statements(setupFile))
    await connection.run(s);
  for (let i = 0; i < pairs.length; i += 2) {
    const query = fs.readFileSync(pairs[i], 'utf8');
    await connection.run('COPY (' + query + ') TO ' + quoteString(pairs[i + 1]) +
                         ' (FORMAT csv, HEADER true)');
  }
}

function runClickHouse() {
  const { Session } = load('chdb');
  const dir = fs.mkdtempSync(path.join(path.dirname(path.resolve(pairs[1] || setupFile)),
                                       'chdb-'));
  const session = new Session(dir);
  try {
    for (const s of statements(setupFile))
      session.query(s, 'CSV');
    for (let i = 0; i < pairs.length; i += 2) {
      const query = fs.readFileSync(pairs[i], 'utf8');
      fs.writeFileSync(pairs[i + 1], session.query(query, 'CSVWithNames'));
    }
  } finally {
    session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(async () => {
  try {
    if (engine === 'duckdb')
      await runDuckDB();
    else if (engine === 'clickhouse')
      runClickHouse();
    else
      throw new Error('unknown engine ' + engine);
  } catch (e) {
    process.stderr.write(`sql: ${engine}: ${e.message}\n`);
    process.exit(1);
  }
})();
