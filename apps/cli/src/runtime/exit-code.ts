/** The process exit codes of `keywarden`, stable for scripts and SOAR tools. */
export const ExitCode = {
  /** The command did what was asked. */
  Success: 0,
  /** The command ran but failed: an Azure error, a step that did not verify, a refused approval. */
  Failure: 1,
  /** The input or the command line was invalid: nothing was attempted. */
  InvalidInput: 2,
  /** Interrupted by the user (Ctrl-C); the journal is intact and the command can be run again. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
