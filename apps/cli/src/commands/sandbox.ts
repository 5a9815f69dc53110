import { existsSync } from "node:fs";

import { openSandboxEnvironment } from "../sandbox/sandbox-environment.js";
import { writeJsonFileAtomic } from "../sandbox/seed-file.js";
import { defaultScenarioName, sandboxStatePath, scenarioSeed, scenarioSummaries, seedFromOptions } from "../sandbox/sandbox-seed.js";
import type { CommandContext } from "../runtime/command-context.js";
import { commandLine } from "../runtime/command-line.js";
import { displayPath, locateSandboxState } from "../sandbox/state-location.js";
import { safeField as t } from "../render/safe-field.js";

function countOf(list: readonly unknown[] | undefined): number {
  return list?.length ?? 0;
}

/** `keywarden sandbox reset [--scenario NAME | --seed FILE]` */
export async function sandboxReset(context: CommandContext, options: { scenario?: string; seed?: string }): Promise<void> {
  const chosen = (await seedFromOptions(context, options)) ?? {
    seed: await scenarioSeed(defaultScenarioName),
    source: `scenario ${defaultScenarioName}`,
  };
  const path = await writeJsonFileAtomic(sandboxStatePath(context), chosen.seed, context.cwd);
  const seed = chosen.seed;
  const summary = {
    state: path,
    source: chosen.source,
    time: seed.time ?? null,
    subscriptions: countOf(seed.subscriptions),
    vaults: countOf(seed.vaults),
    alerts: countOf(seed.alerts),
  };
  context.output.result(summary, (c) =>
    [
      `${c.green("✔")} Sandbox reset from ${c.bold(t(chosen.source))} → ${t(displayPath(context.cwd, path))}`,
      `  ${summary.subscriptions} subscription(s), ${summary.vaults} vault(s), ${summary.alerts} alert(s)${seed.time === undefined ? "" : `, clock at ${t(seed.time)}`}`,
      // A seed file may come from anyone: its description is outside text.
      seed.description === undefined ? "" : `  ${c.dim(t(seed.description))}`,
      `  Next: ${commandLine(context, ["alerts", "list"], { sandbox: true })}`,
    ]
      .filter((line) => line !== "")
      .join("\n"),
  );
}

/** `keywarden sandbox export [--out FILE]`: the tenant as a seed, exactly as `sandbox reset --seed` takes it. */
export async function sandboxExport(context: CommandContext, options: { out?: string }): Promise<void> {
  const environment = await openSandboxEnvironment(context);
  let seed: unknown;
  try {
    seed = environment.tenant.exportSeed();
  } finally {
    await environment.close();
  }
  if (options.out !== undefined) {
    const path = await writeJsonFileAtomic(options.out, seed, context.cwd);
    context.output.result({ out: path }, (c) => `${c.green("✔")} Sandbox exported to ${options.out ?? path}`);
    return;
  }
  // The seed is JSON in both formats: it is the result.
  context.output.result(seed, () => JSON.stringify(seed, null, 2));
}

/** `keywarden sandbox scenarios` */
export async function sandboxScenarios(context: CommandContext): Promise<void> {
  const scenarios = await scenarioSummaries();
  context.output.result({ scenarios, default: defaultScenarioName }, (c) => {
    const width = Math.max(...scenarios.map((scenario) => scenario.name.length));
    return [
      ...scenarios.map(
        (scenario) => `${c.bold(scenario.name.padEnd(width))}  ${scenario.description}${scenario.name === defaultScenarioName ? c.dim(" (default)") : ""}`,
      ),
      "",
      c.dim(
        `Run one: keywarden demo --scenario ${defaultScenarioName}   or   ${commandLine(context, ["sandbox", "reset", "--scenario", defaultScenarioName], { sandboxCommand: true })}`,
      ),
    ].join("\n");
  });
}

const sourceDescriptions = {
  "--sandbox-state": "named by --sandbox-state",
  KEYWARDEN_SANDBOX_STATE: "named by KEYWARDEN_SANDBOX_STATE",
  project: "the nearest .keywarden/ directory up from here",
  user: "no .keywarden/ directory up from here: the user's state directory ($XDG_STATE_HOME/keywarden)",
} as const;

/** `keywarden sandbox where`: the state file every sandbox command here uses, and why. */
export function sandboxWhere(context: CommandContext): void {
  const location = locateSandboxState(context);
  const exists = existsSync(location.path);
  context.output.result({ state: location.path, source: location.source, exists }, (c) =>
    [
      location.path,
      c.dim(`  ${sourceDescriptions[location.source]}${exists ? "" : "; not created yet (the first sandbox command creates it)"}`),
    ].join("\n"),
  );
}
