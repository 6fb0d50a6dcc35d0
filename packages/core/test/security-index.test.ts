import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The rows of the ASVS index in docs/security.md: requirement id and test title. */
function indexRows(): Array<{ asvs: string; title: string }> {
  const page = readFileSync(join(root, 'docs', 'security.md'), 'utf8');
  const section = page.slice(page.indexOf('## The security test suite, by ASVS requirement'));
  return [...section.matchAll(/^\| \d+ \| [^|]+ \| (v5\.0\.0-[\d.]+) \| `([^`]+)` \|/gm)].map((match) => ({ asvs: match[1]!, title: match[2]! }));
}

/** Every test source of the workspace, tracked or new. */
function testSources(): string {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => /(^test\/|\/test\/)/.test(file));
  return files.map((file) => readFileSync(join(root, file), 'utf8')).join('\n');
}

describe('the security test suite index (docs/security.md)', () => {
  it('lists at least 60 cases, each with an ASVS 5.0 requirement id, and every title names a test that exists', () => {
    const rows = indexRows();
    expect(rows.length).toBeGreaterThanOrEqual(60);
    const sources = testSources();
    const missing = rows.filter((row) => !sources.includes(row.title)).map((row) => row.title);
    expect(missing).toEqual([]);
    expect(new Set(rows.map((row) => row.title)).size).toBe(rows.length);
  });
});
