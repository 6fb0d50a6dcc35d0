import type { Command } from 'commander';
import { cliAction, type CliRun } from '../cli-action.js';

/** `tessera stats`: counts of users by role, status, verification and pro status; recent activity. */
export function registerStatsCommand(program: Command, run: CliRun): void {
  program
    .command('stats')
    .description('count users by role, status, verification and pro status, and recent sign-ups and logins')
    .addHelpText('after', '\nExamples:\n  $ tessera stats\n  $ tessera stats --json')
    .action(cliAction(run, async (context) => (await import('../actions/stats-actions.js')).showStats(context)));
}
