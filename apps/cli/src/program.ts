import { Command, CommanderError, Option } from "commander";

import type { CliErrorCode } from "./errors/cli-error.js";
import { createCommandContext, type CommandContext } from "./runtime/command-context.js";
import { errorLine, summarizeError } from "./runtime/error-summary.js";
import { ExitCode } from "./runtime/exit-code.js";
import { defaultSandboxStateDescription, resolveGlobalOptions } from "./runtime/global-options.js";
import { Output, type OutputStreams } from "./runtime/output.js";

/**
 * The `keywarden` command tree. Only commander and the small runtime modules are loaded at start-up: each command's
 * implementation (and with it the Azure SDK, msw and the Keywarden libraries) is imported when that command runs,
 * so `keywarden --help` stays close to a bare `node` start.
 */

export interface RunOptions {
  streams?: OutputStreams;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

type CommandResult = number | void;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function runCli(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  const streams: OutputStreams = options.streams ?? { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  let context: CommandContext | undefined;
  let exitCode: number = ExitCode.Success;

  /** Runs a lazily imported command with the context built from the options in effect for `command`. */
  const run =
    <A extends unknown[]>(load: (context: CommandContext, ...args: A) => Promise<CommandResult>) =>
    async (...args: [...A, Command]): Promise<void> => {
      const command = args.at(-1) as Command;
      context = createCommandContext(resolveGlobalOptions(command.optsWithGlobals(), env), streams, env, cwd);
      const result = await load(context, ...(args.slice(0, -1) as A));
      if (typeof result === "number") exitCode = result;
    };

  const program = new Command("keywarden")
    .description(
      "Respond to Microsoft Defender for Key Vault alerts: identify the source, measure impact, plan, apply, roll back.\n" +
        "Every command runs against Azure (DefaultAzureCredential) or, with --sandbox, against a built-in fake tenant.",
    )
    .version(typeof __KEYWARDEN_VERSION__ === "string" ? __KEYWARDEN_VERSION__ : "0.0.0-dev", "-V, --version")
    .addOption(new Option("--format <format>", "output format; json prints exactly one JSON document on stdout").choices(["text", "json"]).default("text"))
    .option("-v, --verbose", "more detail on stderr, and stack traces on errors")
    .option("-q, --quiet", "only the result and warnings")
    .option("--no-color", "never colour the output (colours are used on a TTY only)")
    .option("--tenant <id>", "Entra tenant id for live mode (default: AZURE_TENANT_ID or the credential's)")
    .option("--subscription <id>", "subscription id; repeat for several (default: AZURE_SUBSCRIPTION_ID)", collect, [])
    .option("--sandbox", "run against the built-in sandbox tenant instead of Azure (also KEYWARDEN_SANDBOX=1)")
    .option("--sandbox-state <file>", `where the sandbox tenant is kept between commands (default: KEYWARDEN_SANDBOX_STATE, or ${defaultSandboxStateDescription}; see: keywarden sandbox where)`)
    .option("--tor-exit-list <file>", "a Tor exit-node list for triage (also KEYWARDEN_TOR_EXIT_LIST)")
    .option("--allow-ip <cidr>", "an address or range a closed vault firewall must keep allowing (your responders' egress); repeatable", collect, [])
    .option("--plan-key-id <key-url>", "a Key Vault key that signs and verifies plans (https://<vault>.vault.azure.net/keys/<name>[/<version>]; also KEYWARDEN_PLAN_KEY_ID)")
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => void streams.stdout.write(text),
      writeErr: (text) => void streams.stderr.write(text),
    })
    .exitOverride();

  program.addHelpText(
    "after",
    [
      "",
      "Start here:",
      "  keywarden demo                               the whole response on the sandbox tenant",
      "  keywarden sandbox scenarios                  the sandbox's ready-made incidents",
      "  keywarden --sandbox alerts list              alerts in the sandbox tenant",
      "  keywarden --sandbox respond <alert> --out plan.json && keywarden --sandbox apply plan.json",
      "",
      "Exit codes: 0 success, 1 failure, 2 invalid input or usage, 130 interrupted.",
    ].join("\n"),
  );

  const alerts = program.command("alerts").description("list and normalise Defender for Key Vault alerts");
  alerts
    .command("list")
    .description("list Key Vault alerts over the given subscriptions")
    .option("--since <iso>", "only alerts generated at or after this time (ISO 8601)")
    .option("--include-simulated", "include Defender's sample (SIMULATED_) alerts")
    .option("--kind <kind>", "only this alert kind, e.g. KV_TORAccess; repeat for several", collect, [])
    .action(run(async (ctx, opts: { since?: string; includeSimulated?: boolean; kind: string[] }) => (await import("./commands/alerts-list.js")).alertsList(ctx, opts)));
  alerts
    .command("parse")
    .description("normalise alerts from a file or stdin (ARM, continuous export, Log Analytics or Graph shape)")
    .argument("<file>", "a JSON file, or - for stdin")
    .addOption(new Option("--channel <channel>", "the input's shape instead of detecting it").choices(["arm", "export", "log-analytics", "graph"]))
    .option("--ocsf", "print OCSF Detection Findings (class 2004) instead of Keywarden's model")
    .action(run(async (ctx, file: string, opts: { channel?: string; ocsf?: boolean }) => (await import("./commands/alerts-parse.js")).alertsParse(ctx, file, opts)));

  alerts
    .command("state")
    .description("move alerts to a state, in bulk and idempotently (dismissed needs --reason)")
    .argument("<alert...>", "alert resource ids")
    .requiredOption("--to <state>", "active, in-progress, resolved or dismissed")
    .option("--reason <text>", "why (required for dismissed; recorded in the result)")
    .option("--dry-run", "show what would change, change nothing")
    .option("--journal <file>", "also check this journal for an unfinished response before dismissing; repeatable", collect, [])
    .action(
      run(async (ctx, ids: string[], opts: { to: string; reason?: string; dryRun?: boolean; journal: string[] }) =>
        (await import("./commands/alerts-state.js")).alertsState(ctx, ids, opts),
      ),
    );

  program
    .command("triage")
    .description("identify the alert's source and decide the response (reads only)")
    .argument("<alert>", "an alert resource id, a JSON file, or - for stdin")
    .option("--policy <file>", "a triage policy (JSON): trusted ranges and principals, auto-approved actions, ...")
    .action(run(async (ctx, alert: string, opts: { policy?: string }) => (await import("./commands/triage.js")).triage(ctx, alert, opts)));

  program
    .command("impact")
    .description("measure what the caller touched, from the alert and the vault's diagnostic logs (reads only)")
    .argument("<alert>", "an alert resource id, a JSON file, or - for stdin")
    .option("--workspace <id>", "Log Analytics workspace id (default: found from the vault's diagnostic settings)")
    .action(run(async (ctx, alert: string, opts: { workspace?: string }) => (await import("./commands/impact.js")).impact(ctx, alert, opts)));

  program
    .command("respond")
    .description("triage + impact + a remediation plan; never writes to Azure")
    .argument("<alert>", "an alert resource id, a JSON file, or - for stdin")
    .option("--workspace <id>", "Log Analytics workspace id for the impact measurement")
    .option("--policy <file>", "a response policy (JSON): triage, remediation, notify and rotator modules")
    .option("--out <file>", "write the plan as JSON, for review and `keywarden apply`")
    .option(
      "--owner-confirmed <secret>",
      "the owner of this secret confirmed it was rotated at its source (the follow-up to an owner task): its exposed versions are disabled; repeatable",
      collect,
      [],
    )
    .action(
      run(async (ctx, alert: string, opts: { workspace?: string; policy?: string; out?: string; ownerConfirmed: string[] }) => (await import("./commands/respond.js")).respond(ctx, alert, opts)),
    );

  program
    .command("apply")
    .description("apply a plan: asks for approval of each step that needs it; resumable; journaled")
    .argument("<plan>", "a plan file written by `keywarden respond --out`")
    .option("--dry-run", "compute and journal every step, write nothing")
    .option("-y, --yes", "approve every step that needs approval (non-interactive use)")
    .option("--journal <file>", "the journal (JSON Lines); applying again with the same journal resumes")
    .option("--wait", "wait for another process that is writing the same journal, instead of refusing")
    .option("--report <file>", "also write the incident report as Markdown")
    .option("--notify <target>", "also send contact-owner / escalate-to-admin tasks to webhook:<https-url>, teams:<https-url> or email:<mailbox>; repeatable", collect, [])
    .option("--policy <file>", "the policy file whose notify: section sets channels, delivery retries and best-effort, and whose rotators: rotate secrets")
    .option(
      "--incident-journal <file>",
      "a journal of an earlier response to the same alert: what it did irreversibly (contact, revoke, rotate) is not repeated; the Keywarden directory's journals are always checked; repeatable",
      collect,
      [],
    )
    .action(
      run(async (ctx, plan: string, opts: { dryRun?: boolean; yes?: boolean; journal?: string; report?: string; notify: string[]; policy?: string; incidentJournal: string[] }) =>
        (await import("./commands/apply.js")).apply(ctx, plan, opts),
      ),
    );

  program
    .command("rollback")
    .description("undo what a journaled apply changed, where it can be undone")
    .requiredOption("--journal <file>", "the journal of the apply to roll back; running rollback again resumes a failed or interrupted rollback")
    .option("--plan <id>", "which applied plan in the journal to roll back (needed when the journal holds several)")
    .option("--dry-run", "show and journal the rollback, write nothing")
    .option("-y, --yes", "approve every rollback step (non-interactive use)")
    .option("--wait", "wait for another process that is writing the same journal, instead of refusing")
    .option("--out <file>", "also write the rollback plan as JSON")
    .action(
      run(async (ctx, opts: { journal: string; plan?: string; dryRun?: boolean; yes?: boolean; out?: string }) =>
        (await import("./commands/rollback.js")).rollback(ctx, opts),
      ),
    );

  const suppress = program.command("suppress").description("Defender suppression rules as code: lint, preview, plan, apply");
  suppress
    .command("lint")
    .description("validate and lint a rules file (JSON or YAML)")
    .argument("<rules-file>")
    .option("--alerts <file>", "alert history, to also flag rules for alert types never seen")
    .action(run(async (ctx, file: string, opts: { alerts?: string }) => (await import("./commands/suppress.js")).suppressLint(ctx, file, opts)));
  suppress
    .command("preview")
    .description("which alerts each rule would have suppressed")
    .argument("<rules-file>")
    .option("--alerts <file>", "alerts to test against (default: the subscriptions' alerts)")
    .action(run(async (ctx, file: string, opts: { alerts?: string }) => (await import("./commands/suppress.js")).suppressPreview(ctx, file, opts)));
  suppress
    .command("plan")
    .description("the creates, updates and deletes that make the subscription match the file")
    .argument("<rules-file>")
    .option("--no-prune", "keep rules that exist in Azure but not in the file (default: the file is the whole truth)")
    .option("--out <file>", "write the plan as JSON")
    .action(run(async (ctx, file: string, opts: { prune: boolean; out?: string }) => (await import("./commands/suppress.js")).suppressPlan(ctx, file, opts)));
  suppress
    .command("apply")
    .description("make the subscription's suppression rules match the file, or apply exactly a plan saved by `suppress plan --out` (refused if the live rules changed since)")
    .argument("<rules-file|plan.json>")
    .option("--no-prune", "keep rules that exist in Azure but not in the file")
    .option("--dry-run", "show and journal the changes, write nothing")
    .option("-y, --yes", "approve the changes (non-interactive use)")
    .option("--journal <file>", "the journal (JSON Lines)")
    .action(
      run(async (ctx, file: string, opts: { prune: boolean; dryRun?: boolean; yes?: boolean; journal?: string }) =>
        (await import("./commands/suppress.js")).suppressApply(ctx, file, opts),
      ),
    );

  suppress
    .command("list")
    .description("the suppression rules in each subscription")
    .option("--alert-type <type>", "only rules for this alert type, e.g. KV_TORAccess")
    .action(run(async (ctx, opts: { alertType?: string }) => (await import("./commands/suppress-rules.js")).suppressList(ctx, opts)));
  suppress
    .command("get")
    .description("one suppression rule by name")
    .argument("<name>")
    .action(run(async (ctx, name: string) => (await import("./commands/suppress-rules.js")).suppressGet(ctx, name)));
  suppress
    .command("delete")
    .description("delete suppression rules by name (asks, or --yes); a rule already gone is not an error")
    .argument("<name...>")
    .option("--dry-run", "show what would be deleted, delete nothing")
    .option("-y, --yes", "approve the deletion (non-interactive use)")
    .action(run(async (ctx, names: string[], opts: { dryRun?: boolean; yes?: boolean }) => (await import("./commands/suppress-rules.js")).suppressDelete(ctx, names, opts)));

  program
    .command("simulate")
    .description("ask Defender for its sample Key Vault alerts (SIMULATED_KV_*) in a subscription")
    .option("--location <name>", "the Defender location (ASC location) to simulate in", "centralus")
    .action(run(async (ctx, opts: { location: string }) => (await import("./commands/simulate.js")).simulate(ctx, opts)));

  program
    .command("demo")
    .description("the whole response on a sandbox tenant: ingest, identify, measure, plan, approve, apply, verify, report")
    .option("--scenario <name>", "a built-in scenario (see `keywarden sandbox scenarios`)")
    .option("--seed <file>", "a seed file (the sandbox's JSON format) instead of a scenario")
    .option("--report <file>", "also write the incident report as Markdown")
    .option("--journal <file>", "keep the demo's journal (JSON Lines)")
    .option("--policy <file>", "a triage policy (JSON) instead of the default one")
    .action(
      run(async (ctx, opts: { scenario?: string; seed?: string; report?: string; journal?: string; policy?: string }) =>
        (await import("./commands/demo.js")).demo(ctx, opts),
      ),
    );

  const sandbox = program.command("sandbox").description("the sandbox tenant used by --sandbox and demo");
  sandbox
    .command("reset")
    .description("start the sandbox over from a scenario or a seed file")
    .option("--scenario <name>", "a built-in scenario")
    .option("--seed <file>", "a seed file")
    .action(run(async (ctx, opts: { scenario?: string; seed?: string }) => (await import("./commands/sandbox.js")).sandboxReset(ctx, opts)));
  sandbox
    .command("export")
    .description("the sandbox tenant as a seed (JSON)")
    .option("--out <file>", "write to a file instead of stdout")
    .action(run(async (ctx, opts: { out?: string }) => (await import("./commands/sandbox.js")).sandboxExport(ctx, opts)));
  sandbox
    .command("where")
    .description("the sandbox state file commands run here use, and why that one")
    .action(run(async (ctx) => (await import("./commands/sandbox.js")).sandboxWhere(ctx)));
  sandbox
    .command("scenarios")
    .description("the built-in scenarios")
    .action(run(async (ctx) => (await import("./commands/sandbox.js")).sandboxScenarios(ctx)));

  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with exit code 0; everything else is a usage error,
      // already printed by commander as one line on stderr. A caller that wants JSON still gets its one document.
      if (error.exitCode === 0) return ExitCode.Success;
      if (wantsJson(argv)) reportUsageErrorAsJson(new Output({ format: "json", verbose: false, quiet: true, color: false }, streams, env), error);
      return ExitCode.InvalidInput;
    }
    const output = context?.output ?? new Output(resolveGlobalOptions({}, env), streams, env);
    return reportError(output, error);
  }
}

/**
 * Whether the command line asks for JSON, read from the raw arguments because commander stopped before it could
 * parse them. A `--format` value that is not a known format also counts: whoever passes an explicit format is most
 * likely a program, and one JSON error document is the answer it can read.
 */
/** `CliErrorCode.Usage`, spelled out: importing the error module would load the libraries at start-up. */
const usageErrorCode = "KW_CLI_E0002" satisfies CliErrorCode;

function wantsJson(argv: readonly string[]): boolean {
  let format: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? "";
    if (argument === "--") break;
    if (argument === "--format") format = argv[index + 1];
    else if (argument.startsWith("--format=")) format = argument.slice("--format=".length);
  }
  return format !== undefined && format !== "text";
}

/** A usage error (unknown command or option, bad option value) as the JSON error document every command uses. */
function reportUsageErrorAsJson(output: Output, error: CommanderError): void {
  const [first = "", ...rest] = error.message.split(/\r?\n/);
  const message = first.replace(/^error:\s*/, "").trim() || "invalid usage";
  const hint = rest.map((line) => line.trim().replace(/^\((.*)\)$/, "$1")).filter((line) => line !== "").join(" ");
  output.result(
    { error: { code: usageErrorCode, message, ...(hint === "" ? {} : { hint }), exitCode: ExitCode.InvalidInput, commander: error.code } },
    () => "",
  );
}

/** For --verbose: the stack, then every cause in the chain (the Azure error a Keywarden error wraps), one per line. */
function verboseDetail(error: unknown): string | undefined {
  const lines: string[] = [];
  if (error instanceof Error && error.stack !== undefined) lines.push(error.stack);
  const seen = new Set<unknown>([error]);
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause !== undefined && !seen.has(cause) && seen.size < 10) {
    seen.add(cause);
    const name = cause instanceof Error ? cause.name : typeof cause;
    const message = cause instanceof Error ? cause.message : JSON.stringify(cause);
    lines.push(`caused by ${name}: ${message}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return lines.length === 0 ? undefined : lines.join("\n");
}

function reportError(output: Output, error: unknown): number {
  const summary = summarizeError(error);
  output.error(errorLine(summary), verboseDetail(error));
  if (output.format === "json" && !output.hasResult) {
    output.result({ error: { code: summary.code, message: summary.message, ...(summary.hint === undefined ? {} : { hint: summary.hint }), exitCode: summary.exitCode } }, () => "");
  }
  return summary.exitCode;
}
