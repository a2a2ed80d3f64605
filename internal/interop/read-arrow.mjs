// Reads a heaptrace trace with the apache-arrow npm package, an Arrow
// implementation independent of heaptrace's Go code, and prints what it
// sees as JSON: columns and their types, schema metadata, the row count,
// per-op sums of the size column and the first rows with dictionaries
// resolved to text.
import { readFileSync } from "node:fs";
import { tableFromIPC } from "apache-arrow";

const table = tableFromIPC(readFileSync(process.argv[2]));
const fields = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
const metadata = Object.fromEntries(table.schema.metadata);
const sizeByOp = {};
const first = [];
let i = 0;
for (const row of table) {
  const r = row.toJSON();
  const key = `${r.layer}/${r.op}`;
  sizeByOp[key] = (sizeByOp[key] ?? 0n) + BigInt(r.size);
  if (i++ < 5) {
    first.push(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])));
  }
}
console.log(JSON.stringify({
  fields,
  metadata,
  rows: table.numRows,
  sizeByOp: Object.fromEntries(Object.entries(sizeByOp).map(([k, v]) => [k, String(v)])),
  first,
}));
