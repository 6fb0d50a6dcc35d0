/**
 * A tour of Tessera's service API on the embedded default (PGlite, persisted to .data/):
 * register → the verification mail → verify → log in → call as the user → refresh (with
 * rotation and reuse detection) → log out. Run it twice: the data survives the restart.
 */
import { createTessera, isTesseraError, type EventConsumer, type TesseraEvent } from '@tessera/core';
import { argon2idHasher } from '@tessera/core/argon2';
import { openPgliteStore } from '@tessera/kysely/pglite';
import { sql } from 'kysely';
import { resolve } from 'node:path';
import { loadSecrets } from '@tessera/example-shared';

const dataDir = resolve(process.env.TESSERA_DATA_DIR ?? '.data');
const appUrl = process.env.APP_URL ?? 'http://localhost:3000';

/** Development mail: instead of sending, show the developer what would have been sent. */
const outbox: Array<TesseraEvent<'user.registered'>> = [];
const devMail: EventConsumer<'user.registered'> = {
  name: 'dev-mail',
  events: ['user.registered'],
  async handle(event) {
    outbox.push(event);
  },
};

const step = (title: string) => console.log(`\n\x1b[1m▸ ${title}\x1b[0m`);
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(22)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
const short = (token: string) => `${token.slice(0, 12)}… (${token.length} chars)`;

const { store, db, close } = await openPgliteStore({ dataDir: `${dataDir}/db` });
const secrets = await loadSecrets(dataDir, { isProduction: false });
const tessera = createTessera({
  store,
  passwordHasher: argon2idHasher(),
  secret: secrets.secret,
  appName: 'Tessera demo',
  tokens: { keys: [...secrets.signingKeys] },
  events: { consumers: [devMail] },
});

try {
  const { count } = (await sql<{ count: number }>`select count(*)::int as count from tessera_users`.execute(db)).rows[0]!;
  step(`Embedded database at ${dataDir}/db (PGlite, nothing to install)`);
  show('users already stored', count);

  const email = `ada.${Date.now()}@example.com`;
  const password = 'correct horse battery staple';

  step('Register');
  const { user } = await tessera.api.register({ email, password });
  show('user', { id: user.id, email: user.email, username: user.username, role: user.role, emailVerified: user.emailVerified });

  step('Login before verifying is refused');
  await tessera.api.login({ email, password }).catch((error: unknown) => show('error code', isTesseraError(error) ? error.code : String(error)));

  step('The verification mail (delivered from the transactional outbox)');
  await tessera.outbox.drain();
  const mail = outbox.find((event) => event.payload.user.email === email)!;
  const link = `${appUrl}/verify-email?token=${mail.secrets.verification.token}`;
  show('to', mail.payload.user.email);
  show('link', link);
  show('expires', mail.secrets.verification.expiresAt);

  step('Verify the address with the token from the link');
  const verified = await tessera.api.verifyEmail({ token: new URL(link).searchParams.get('token')! });
  show('emailVerified', verified.emailVerified);

  step('Log in');
  const session = await tessera.api.login({ email, password });
  show('access token (JWT)', short(session.accessToken));
  show('expires in', `${session.expiresIn} s`);
  show('refresh token', short(session.refreshToken));

  step('Verify the access token (no database round trip)');
  const principal = await tessera.verifyAccessToken(session.accessToken);
  show('principal', { userId: principal?.userId, role: principal?.role });
  show('may list users?', tessera.can(principal, 'users:list'));
  show('own profile', await tessera.api.getMe(principal!).then((me) => ({ email: me.email, lastLoginAt: me.lastLoginAt })));

  step('Refresh: the refresh token rotates');
  const refreshed = await tessera.api.refresh({ refreshToken: session.refreshToken });
  show('new refresh token', short(refreshed.refreshToken));

  step('Reuse of the old refresh token revokes the whole session');
  await tessera.api.refresh({ refreshToken: session.refreshToken }).catch((error: unknown) => show('reuse', isTesseraError(error) ? error.code : String(error)));
  await tessera.api.refresh({ refreshToken: refreshed.refreshToken }).catch((error: unknown) => show('newest token too', isTesseraError(error) ? error.code : String(error)));

  step('Log in again and log out');
  const again = await tessera.api.login({ email, password });
  await tessera.api.logout({ refreshToken: again.refreshToken });
  await tessera.api.refresh({ refreshToken: again.refreshToken }).catch((error: unknown) => show('after logout', isTesseraError(error) ? error.code : String(error)));

  console.log(`\nDone. Run it again: the ${count + 1} user(s) stored so far are still there.\n`);
} finally {
  await tessera.close();
  await close();
}
