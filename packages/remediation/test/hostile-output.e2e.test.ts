import { DefenderAlertsClient } from "@keywarden/alerts";
import { InMemoryJournal, terminalSafe } from "@keywarden/core";
import { forgedOutputProblems, HOSTILE_TEXT, replaceStrings, type FakeAzureSeed } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { ArmVaultInspector, GraphDirectory, triageAlert } from "@keywarden/triage";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  alertStateClientFrom,
  applyPlan,
  AzureRecipientDirectory,
  ConsoleNotifier,
  EmailNotifier,
  formatPlan,
  formatStep,
  planResponse,
  randomValueRotator,
  resolveRecipients,
  taskAdaptiveCard,
  taskText,
  type ImpactInput,
  type MailSender,
  type NotificationTask,
  type RemediationPlan,
} from "../src/index.js";
import { describeStepAction } from "../src/plan/format-plan.js";
import { executorsFor, fastOptions } from "./support/harness.js";
import { ALERT_ID, ATTACKER, BYSTANDER, remediationSeed, RESPONDER_IP, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

/** Every payload at once: whatever field a formatter forgot, one of them shows it. */
const HOSTILE = HOSTILE_TEXT.join(" · ");

/** A tenant and an alert whose every free-text field an attacker (or a careless admin) filled with payloads. */
function hostileSeed(): FakeAzureSeed {
  const base = remediationSeed();
  const alert = base.alerts?.[0] as { properties: Record<string, unknown> & { extendedProperties: Record<string, string>; entities: Record<string, unknown>[] } };
  alert.properties["alertDisplayName"] = `Access from a TOR exit node ${HOSTILE}`;
  alert.properties["description"] = HOSTILE;
  alert.properties["compromisedEntity"] = HOSTILE;
  alert.properties.extendedProperties["client Information"] = HOSTILE;
  alert.properties.extendedProperties["alert Reasons"] = `[${HOSTILE}]`;
  alert.properties.extendedProperties["user Agent"] = HOSTILE;
  for (const entity of alert.properties.entities) {
    if (entity["type"] === "ip") entity["location"] = { countryCode: "US", countryName: HOSTILE, state: HOSTILE, city: HOSTILE };
    if (entity["type"] === "account") Object.assign(entity, { name: HOSTILE, upnSuffix: HOSTILE });
  }
  return {
    ...base,
    vaults: (base.vaults ?? []).map((vault) =>
      vault.id.toLowerCase() === VAULT_ID.toLowerCase() ? { ...vault, tags: { Owner: `payments@contoso.example; ${HOSTILE}`, [HOSTILE]: HOSTILE } } : vault,
    ),
    directory: {
      ...base.directory,
      users: [
        { id: ATTACKER, displayName: HOSTILE, userPrincipalName: `mallory@contoso.example`, accountEnabled: true, userType: "Member" },
        { id: BYSTANDER, displayName: HOSTILE, userPrincipalName: "bob@contoso.example", accountEnabled: true, userType: "Member" },
      ],
      managers: [{ userId: ATTACKER, managerId: BYSTANDER }],
    },
  };
}

const tenant = useFakeAzure({ seed: hostileSeed(), autoAdvanceInMs: 1000 });
const noRetry = { retryOptions: { maxRetries: 0 } };

/** The impact measurement, with the callers and reasons the logs carried (names from the directory, rows from logs). */
const impact: ImpactInput = {
  vault: { name: VAULT, resourceId: VAULT_ID },
  callers: [
    { ipAddress: "185.220.101.45", objectId: ATTACKER, userPrincipalName: HOSTILE, count: 3, lastTime: HOSTILE, suspicious: true },
    { ipAddress: "198.18.0.7", userPrincipalName: HOSTILE, applicationId: HOSTILE, count: 9, lastTime: "2026-11-28T08:44:00Z" },
  ],
  toRotate: [{ type: "secret", name: "db-password", versions: [], reason: HOSTILE }],
};

async function hostilePlan(): Promise<RemediationPlan> {
  const alert = await new DefenderAlertsClient(tenant.credential, noRetry).getAlert(ALERT_ID);
  const report = await triageAlert(
    alert,
    { tenantId: TENANT, vaults: new ArmVaultInspector(tenant.credential, noRetry), directory: new GraphDirectory(tenant.credential, noRetry), now: () => new Date("2026-11-28T09:00:00Z") },
    { simulatedAlerts: "respond" },
  );
  const resolvedRecipients = await resolveRecipients(report, new AzureRecipientDirectory({ credential: tenant.credential, clientOptions: noRetry }), {
    fallbacks: { admin: ["soc@contoso.example"] },
  });
  return planResponse(report, impact, { now: "2026-11-28T09:01:00Z", firewall: { addIpRules: [RESPONDER_IP] }, secrets: { allowRandomValue: true }, resolvedRecipients });
}

const sentMail: { subject: string; text: string }[] = [];
const mail: MailSender = {
  sendMail: (_mailbox, message) => {
    sentMail.push({ subject: message.subject, text: message.text });
    return Promise.resolve();
  },
};

/** Every output made from one task: the console text, the e-mail's subject and body, and the Teams card's text. */
function taskOutputs(task: NotificationTask): { medium: "text" | "markdown"; what: string; output: string }[] {
  const lines: string[] = [];
  void new ConsoleNotifier({ write: (line) => lines.push(line) }).notify(task);
  const card = taskAdaptiveCard(task) as { attachments: { content: { body: ({ text?: string; facts?: { title: string; value: string }[] })[] } }[] };
  const cardTexts = (card.attachments[0]?.content.body ?? []).flatMap((block) => [block.text ?? "", ...(block.facts ?? []).flatMap((fact) => [fact.title, fact.value])]);
  return [
    { medium: "text", what: "taskText", output: taskText(task).join("\n") },
    { medium: "text", what: "ConsoleNotifier", output: lines.join("\n") },
    ...cardTexts.map((text, index) => ({ medium: "markdown" as const, what: `Teams card text ${index}`, output: text })),
  ];
}

function expectUnforged(outputs: { medium: "text" | "markdown" | "html"; what: string; output: string }[]): void {
  for (const { medium, what, output } of outputs) expect(forgedOutputProblems(output, medium), `${what}:\n${output}`).toEqual([]);
}

describe("alert and tenant text cannot forge remediation output", () => {
  it("a hostile alert, directory and vault tags go through plan text, approvals, console, e-mail and Teams escaped", async () => {
    const plan = await hostilePlan();
    const text = formatPlan(plan);
    // The payloads reached the plan text (the test exercises the fields), shown instead of acting.
    expect(text).toContain("\\x1b[2J\\x1b[Hcleared");
    expect(text).toContain("\\u202e");
    const outputs: { medium: "text" | "markdown"; what: string; output: string }[] = [{ medium: "text", what: "formatPlan", output: text }];
    for (const step of plan.steps) outputs.push({ medium: "text", what: `formatStep ${step.id}`, output: formatStep(step) }, { medium: "text", what: `describeStepAction ${step.id}`, output: describeStepAction(step) });

    // Apply it: tasks go to people, approvals are asked with the step's text.
    const approvals: string[] = [];
    const harness = executorsFor(tenant, { rotators: [randomValueRotator()], alerts: alertStateClientFrom(new DefenderAlertsClient(tenant.credential, noRetry)) });
    await applyPlan(plan, { ...fastOptions(new InMemoryJournal(), harness.executors), approve: (request) => (approvals.push(request.description), true) });
    expect(harness.notifier.tasks.length).toBeGreaterThan(0);
    outputs.push(...approvals.map((description, index) => ({ medium: "text" as const, what: `approval ${index}`, output: description })));
    const email = new EmailNotifier({ mailbox: "keywarden@contoso.example", graph: mail });
    for (const task of harness.notifier.tasks) {
      outputs.push(...taskOutputs(task));
      await email.notify(task);
    }
    outputs.push(...sentMail.flatMap((message) => [{ medium: "text" as const, what: "e-mail subject", output: message.subject }, { medium: "text" as const, what: "e-mail body", output: message.text }]));
    expect(outputs.map((output) => output.output).join("\n")).toContain("\\u202e");
    expectUnforged(outputs);
  });

  it("any string of a plan or a task, whatever it holds, is escaped by every formatter (property)", async () => {
    const plan = await hostilePlan();
    const harness = executorsFor(tenant, { rotators: [randomValueRotator()], alerts: alertStateClientFrom(new DefenderAlertsClient(tenant.credential, noRetry)) });
    await applyPlan(plan, fastOptions(new InMemoryJournal(), harness.executors));
    const task = harness.notifier.tasks[0];
    if (task === undefined) throw new Error("the plan sent no task");
    const payloads = fc.array(fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ unit: "binary" }), fc.constantFrom("constructor", "__proto__", "toString")), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(payloads, (chosen) => {
        let next = 0;
        // A step's kind picks its renderer (the plan schema fixes it); every other string is outside text. A task
        // message is lines the planner wrote, each escaped as a line (the first test shows the planner does): its
        // line breaks are the planner's, and everything within a line is a payload.
        const fill = (text: string, path: readonly (string | number)[]) => {
          if (path.at(-1) === "kind") return text;
          const payload = chosen[next++ % chosen.length] ?? text;
          return path.at(-1) === "message" ? [payload, payload].map((line) => terminalSafe(line, { singleLine: true })).join("\n") : payload;
        };
        const hostile = replaceStrings(plan, fill);
        const outputs: { medium: "text" | "markdown"; what: string; output: string }[] = [
          { medium: "text", what: "formatPlan", output: formatPlan(hostile) },
          ...hostile.steps.map((step) => ({ medium: "text" as const, what: `describeStepAction ${step.kind}`, output: describeStepAction(step) })),
          ...taskOutputs(replaceStrings(task, fill)),
        ];
        expectUnforged(outputs);
      }),
      { numRuns: 150 },
    );
  });
});
