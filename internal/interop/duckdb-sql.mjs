// Runs SQL files in DuckDB (the @duckdb/node-api npm package) over a
// heaptrace Parquet export and prints each file's rows as JSON:
//
//	node duckdb-sql.mjs SOURCE FILE.sql...
//
// SOURCE is what the `trace` view reads, e.g. "read_parquet('x.parquet')".
// Each file runs as it is, after `CREATE VIEW trace AS FROM SOURCE`.
// Output: {"FILE.sql": [{column: value, ...}, ...], ...}; numbers as
// strings, so that 64-bit integers survive.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

const [source, ...files] = process.argv.slice(2);
const instance = await DuckDBInstance.create(":memory:");
const con = await instance.connect();
await con.run(`CREATE VIEW trace AS FROM ${source}`);
const out = {};
for (const file of files) {
  const reader = await con.runAndReadAll(readFileSync(file, "utf8"));
  out[basename(file)] = reader.getRowObjectsJson();
}
console.log(JSON.stringify(out));
