/**
 * The exit codes of `tessera`, one per kind of outcome, so scripts can branch on them without
 * reading the output.
 */
export const exitCodes = {
  /** The command did what it was asked. */
  ok: 0,
  /** An unexpected failure (a bug, a failed migration): the message says what happened. */
  failure: 1,
  /** The command line or the configuration is wrong (unknown option, missing `DATABASE_URL`). */
  usage: 2,
  /** The user (or another named thing) does not exist. */
  notFound: 3,
  /**
   * Refused: not allowed, the last admin, a conflict, invalid input, rejected import rows, or
   * a destructive command without its confirmation.
   */
  refused: 4,
  /** The database cannot be reached, or has no Tessera tables yet. */
  unavailable: 5,
} as const;

/** One of `tessera`'s exit codes. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
