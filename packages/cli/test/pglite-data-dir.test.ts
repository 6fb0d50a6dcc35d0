import { mkdir, writeFile } from 'node:fs/promises';
import { goodPassword } from '@tessera/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/index.js';
import type { ImportReport } from '../src/import/import-report.js';
import { jsonOf, runTessera, temporaryFolder } from './cli-harness.js';

// The examples keep PGlite in <data dir>/db and their development secret in
// <data dir>/dev-secrets.json; the CLI reads both from --data-dir (one process at a time).
describe('tessera --data-dir (PGlite, as the examples keep it)', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let dataDir: string;

  beforeAll(async () => {
    folder = await temporaryFolder();
    dataDir = folder.path('data');
  });
  afterAll(async () => folder.remove());

  it('refuses a data folder without a database, except to migrate', async () => {
    const result = await runTessera(['stats', '--data-dir', dataDir]);
    expect(result.exitCode).toBe(exitCodes.unavailable);
    expect(result.stderr).toContain('There is no database in');
  });

  it('creates and migrates the database, then manages users in it', async () => {
    expect((await runTessera(['migrate', 'latest', '--data-dir', dataDir])).exitCode).toBe(exitCodes.ok);
    const admin = await runTessera(['admin', 'create', '--email', 'ada@example.com', '--password-stdin'], { stdin: goodPassword, env: { TESSERA_DATA_DIR: dataDir } });
    expect(admin.exitCode).toBe(exitCodes.ok);

    // The app's secret comes from dev-secrets.json, so the invitation can be opened by the app.
    await mkdir(dataDir, { recursive: true });
    await writeFile(`${dataDir}/dev-secrets.json`, JSON.stringify({ secret: 'development-secret-of-the-example-app-0123456789' }));
    const file = folder.path('people.csv');
    await writeFile(file, 'email,first_name\nbob@example.com,Bob\n');
    const imported = await runTessera(['import', 'users', file, '--invite', '--data-dir', dataDir, '--json'], {
      env: { TESSERA_EVENT_CONSUMERS: 'dev-mailbox:user.registered,user.verification_resent,user.password_reset_requested' },
    });
    expect(imported.exitCode).toBe(exitCodes.ok);
    expect(jsonOf<ImportReport>(imported)).toMatchObject({ created: 1, invited: 1 });

    const stats = await runTessera(['stats', '--data-dir', dataDir, '--json']);
    expect(jsonOf<{ total: number }>(stats).total).toBe(2);
  });
});
