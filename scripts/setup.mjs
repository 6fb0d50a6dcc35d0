#!/usr/bin/env node
// Makes a fresh clone ready: finds (or installs) the pnpm version pinned in package.json's
// `packageManager`, then installs the workspace. Used by `npm start` and `npm test`, so the
// README's two commands work on a machine that has only Node and npm.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pinned = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).packageManager;
const wantedVersion = pinned.split('@')[1];
const env = { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' };

function pnpmVersion() {
  const result = spawnSync('pnpm', ['--version'], { cwd: root, env, encoding: 'utf8', shell: process.platform === 'win32' });
  return result.status === 0 ? result.stdout.trim() : null;
}

function run(command, args) {
  console.log(`[setup] ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: root, env, stdio: 'inherit', shell: process.platform === 'win32' });
}

function attempt(command, args) {
  try {
    run(command, args);
    return true;
  } catch {
    return false;
  }
}

if (pnpmVersion() !== wantedVersion) {
  // Older corepack releases cannot verify the signatures of current pnpm releases, so
  // update corepack first. Corepack 0.36 downloads pnpm on its first run and then exits 1
  // from a signature check it does not await, after pnpm has run: ask once more before
  // giving up on it. Last resort: pnpm itself from npm, over corepack's shim if there is one.
  const viaCorepack = attempt('npm', ['install', '--global', 'corepack@latest']) && attempt('corepack', ['enable', 'pnpm']);
  if (!viaCorepack || (pnpmVersion() !== wantedVersion && pnpmVersion() !== wantedVersion)) {
    run('npm', ['install', '--global', '--force', `pnpm@${wantedVersion}`]);
  }
}
if (pnpmVersion() !== wantedVersion) {
  console.error(`[setup] could not provide pnpm ${wantedVersion}; install it and run again.`);
  process.exit(1);
}

const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
run('pnpm', ['install', ...frozen]);
