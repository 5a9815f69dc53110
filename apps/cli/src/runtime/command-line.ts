import type { CommandContext } from "./command-context.js";

/** Characters a POSIX shell passes through unquoted. */
const safe = /^[\w@%+=:,./-]+$/;

/** One argument as a shell reads it back: unchanged when safe, else single-quoted. */
export function shellQuote(argument: string): string {
  if (argument !== "" && safe.test(argument)) return argument;
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

export interface CommandLineOptions {
  /** The command ran against the sandbox: the hint must too (else following it goes to live Azure). */
  sandbox?: boolean;
  /** A `keywarden sandbox ...` command: it needs the state location but not `--sandbox`. */
  sandboxCommand?: boolean;
}

/**
 * A `keywarden ...` command line to print as a hint, carrying every global option that decides where it runs
 * (`--sandbox`, an explicit `--sandbox-state`, the `--subscription`s and `--tenant` of live mode, `--plan-key-id`), so that it does
 * what the hint says when pasted as printed.
 */
export function commandLine(context: CommandContext, args: readonly string[], options: CommandLineOptions = {}): string {
  const globals = context.globals;
  const sandbox = options.sandbox ?? globals.sandbox;
  const prefix: string[] = ["keywarden"];
  if (sandbox || options.sandboxCommand === true) {
    // KEYWARDEN_SANDBOX=1 in the environment is kept by the shell; the flag makes the hint work without it too.
    if (options.sandboxCommand !== true) prefix.push("--sandbox");
    if (globals.sandboxStateOption !== undefined) prefix.push("--sandbox-state", globals.sandboxStateOption);
  } else {
    if (globals.tenantOption !== undefined) prefix.push("--tenant", globals.tenantOption);
    for (const subscription of globals.subscriptionOption) prefix.push("--subscription", subscription);
  }
  // A plan signed with a Key Vault key is only accepted by a command that verifies with that key.
  if (options.sandboxCommand !== true && globals.planKeyIdOption !== undefined) prefix.push("--plan-key-id", globals.planKeyIdOption);
  return [...prefix, ...args].map((part, index) => (index === 0 ? part : shellQuote(part))).join(" ");
}
