// Prints "N passed, N failed" from vitest's JSON report (the line CI reads to know tests ran).
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.log('no test results: the run stopped before the tests');
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
if (skipped > 0) console.log(`${skipped} skipped (see the notices above for the reason)`);
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed`);
