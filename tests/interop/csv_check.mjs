// Reads our CSV export with csv-parse (bom, CRLF records, RFC 4180 quoting) and checks it
// against what the test logged. Usage: node csv_check.mjs EXPORT.csv EXPECTED.json
// EXPECTED.json: {"columns": [...], "rows": N, "notes": ["...", ...]}
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

const [file, expectedFile] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
const records = parse(readFileSync(file), {
  bom: true,
  record_delimiter: '\r\n',
  relax_column_count: false,
});
const fail = (message) => {
  console.error(`csv-parse: ${message}`);
  process.exit(1);
};
const [header, ...rows] = records;
if (JSON.stringify(header) !== JSON.stringify(expected.columns)) {
  fail(`header ${JSON.stringify(header)} is not ${JSON.stringify(expected.columns)}`);
}
if (rows.length !== expected.rows) fail(`${rows.length} rows, expected ${expected.rows}`);
const note = header.indexOf('note');
const notes = rows.map((row) => row[note]).filter((text) => text !== '');
for (const text of expected.notes) {
  if (!notes.includes(text)) fail(`note ${JSON.stringify(text)} did not come back`);
}
const time = header.indexOf('event_time');
for (const row of rows) {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/.test(row[time])) {
    fail(`event_time ${row[time]} is not ISO 8601 with an offset`);
  }
}
console.log(`csv-parse: ${rows.length} rows, ${header.length} columns, notes intact`);
