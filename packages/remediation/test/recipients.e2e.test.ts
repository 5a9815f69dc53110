import { InMemoryJournal } from "@keywarden/core";
import type { TriageReport } from "@keywarden/triage";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import {
  applyPlan,
  AzureRecipientDirectory,
  createAzureExecutors,
  EmailNotifier,
  formatPlan,
  GraphClient,
  InMemoryRecipientDirectory,
  planResponse,
  RemediationCodes,
  resolveRecipients,
} from "../src/index.js";
import reportFixture from "./fixtures/triage-report.json" with { type: "json" };
import { ATTACKER, BYSTANDER, remediationSeed, SUB, VAULT_ID } from "./support/seed.js";

const APP_ID = "0f6c1e7e-0000-4000-8000-0000000000a2";
const APP_OBJECT_ID = "0f6c1e7e-0000-4000-8000-0000000000a3";
const SP_ID = "0f6c1e7e-0000-4000-8000-0000000000a4";
const APP_OWNER = "0a0a0a0a-0000-4000-8000-0000000000c1";
const SP_OWNER = "0a0a0a0a-0000-4000-8000-0000000000c2";
const MAILBOX = "0a0a0a0a-0000-4000-8000-0000000000c3";

function seed() {
  const base = remediationSeed();
  const directory = base.directory ?? {};
  return {
    ...base,
    vaults: (base.vaults ?? []).map((vault) =>
      vault.id.toLowerCase() === VAULT_ID.toLowerCase() ? { ...vault, tags: { Owner: "payments@contoso.example; mallory@contoso.example", contact: "team-payments" } } : vault,
    ),
    securityContacts: [
      {
        id: `/subscriptions/${SUB}/providers/Microsoft.Security/securityContacts/default`,
        name: "default",
        type: "Microsoft.Security/securityContacts",
        properties: { emails: "soc@contoso.example;payments@contoso.example", isEnabled: true },
      },
    ],
    directory: {
      ...directory,
      users: [
        ...(directory.users ?? []).map((user) => (user.id === BYSTANDER ? { ...user, mail: "bob@contoso.example" } : user)),
        { id: APP_OWNER, displayName: "Ada App-Owner", userPrincipalName: "ada@contoso.example", mail: "ada@contoso.example" },
        { id: SP_OWNER, displayName: "Sam SP-Owner", userPrincipalName: "sam@contoso.example" },
        { id: MAILBOX, displayName: "Keywarden", userPrincipalName: "keywarden@contoso.example", mail: "keywarden@contoso.example" },
      ],
      servicePrincipals: [{ id: SP_ID, appId: APP_ID, displayName: "billing-worker", appOwnerOrganizationId: base.tenantId ?? null, servicePrincipalType: "Application" }],
      applications: [{ id: APP_OBJECT_ID, appId: APP_ID, displayName: "billing-worker" }],
      managers: [{ userId: ATTACKER, managerId: BYSTANDER }],
      owners: [
        { objectId: APP_OBJECT_ID, ownerIds: [APP_OWNER] },
        { objectId: SP_ID, ownerIds: [SP_OWNER, SP_ID] },
      ],
    },
  };
}

const tenant = useFakeAzure({ seed: seed() });
const clientOptions = { retryOptions: { maxRetries: 0 } };
const directory = () => new AzureRecipientDirectory({ credential: tenant.credential, clientOptions });
const userReport = () => structuredClone(reportFixture) as unknown as TriageReport;
/** The same alert, raised for the app's service principal instead of a user. */
const appReport = (): TriageReport => {
  const report = userReport();
  report.source.principal = { ...report.source.principal, type: "service-principal", objectId: SP_ID, appId: APP_ID, userPrincipalName: undefined, displayName: "billing-worker" };
  delete report.source.principal.userPrincipalName;
  delete report.source.application;
  return report;
};

describe("recipients resolved from the tenant", () => {
  it("takes the vault's owner tag, the user's manager and the security contacts, in order, each with its source; never the suspect", async () => {
    const resolution = await resolveRecipients(userReport(), directory());
    const owner = resolution["contact-owner"];
    expect(owner.recipients.map(({ address, source }) => [address, source])).toEqual([
      ["payments@contoso.example", "vault-tag"],
      ["bob@contoso.example", "manager"],
      ["soc@contoso.example", "security-contact"],
    ]);
    expect(owner.recipients[0]?.detail).toBe('tag "Owner" on vault kv-prod');
    expect(owner.recipients[1]).toMatchObject({ detail: "manager of mallory@contoso.example", objectId: BYSTANDER, displayName: "Bob" });
    // The suspected user is named in the tag but is never told about her own alert.
    expect(owner.excluded.map((recipient) => recipient.address)).toEqual(["mallory@contoso.example"]);
    expect(owner.notes).toContain('tag "contact" on vault kv-prod holds "team-payments", not an e-mail address');
    // Escalations go to the manager and the security contacts, not to the vault owner.
    expect(resolution["escalate-to-admin"].recipients.map(({ address, source }) => [address, source])).toEqual([
      ["bob@contoso.example", "manager"],
      ["soc@contoso.example", "security-contact"],
      ["payments@contoso.example", "security-contact"],
    ]);
  });

  it("takes the owners of an application and its service principal, skipping owners without an address", async () => {
    const resolution = await resolveRecipients(appReport(), directory(), { sources: { "contact-owner": ["application-owner", "service-principal-owner", "fallback"] } });
    const owner = resolution["contact-owner"];
    expect(owner.recipients.map(({ address, source }) => [address, source])).toEqual([
      ["ada@contoso.example", "application-owner"],
      ["sam@contoso.example", "service-principal-owner"],
    ]);
    expect(owner.recipients[0]?.detail).toBe(`owner of application ${APP_ID}`);
    // The service principal owns itself here: it is the suspect, and has no address anyway.
    expect(owner.notes.some((note) => note.includes("billing-worker") && note.includes("no e-mail address"))).toBe(true);
  });

  it("uses configured fallbacks only when the tenant names nobody, and reads tag names as configured", async () => {
    const nobody = await resolveRecipients(userReport(), directory(), {
      ownerTags: ["responsible"],
      sources: { "contact-owner": ["vault-tag", "fallback"] },
      fallbacks: { owner: ["secops@contoso.example", "not an address"] },
    });
    expect(nobody["contact-owner"].recipients).toEqual([{ address: "secops@contoso.example", source: "fallback", detail: "configured fallback for contact-owner" }]);
    expect(nobody["contact-owner"].notes).toContain('configured fallback "not an address" is not an e-mail address; left out');
    const tagged = await resolveRecipients(userReport(), directory(), { ownerTags: ["CONTACT", "owner"], fallbacks: { owner: ["secops@contoso.example"] } });
    expect(tagged["contact-owner"].recipients.map((recipient) => recipient.source)).not.toContain("fallback");
  });

  it("records a failed lookup as a note and still uses the other sources", async () => {
    // The subscription has no Defender plan here: the contacts call fails, the tag and manager still count.
    tenant.state.subscriptions.delete(SUB);
    try {
      const resolution = await resolveRecipients(userReport(), directory());
      expect(resolution["contact-owner"].recipients.map((recipient) => recipient.source)).toEqual(["manager"]);
      expect(resolution["contact-owner"].notes.some((note) => note.startsWith("vault-tag lookup failed: 404"))).toBe(true);
      expect(resolution["contact-owner"].notes.some((note) => note.startsWith("security-contact lookup failed: 404"))).toBe(true);
    } finally {
      tenant.reset();
    }
  });
});

describe("plans carry the resolved recipients", () => {
  it("records each recipient's source in the task and lists them in the plan text", async () => {
    const resolvedRecipients = await resolveRecipients(userReport(), directory());
    const plan = planResponse(userReport(), undefined, { now: "2026-03-01T10:00:00Z", resolvedRecipients });
    const task = plan.steps.find((step) => step.kind === "contact-owner");
    expect(task?.kind === "contact-owner" && task.parameters.recipients).toEqual(["payments@contoso.example", "bob@contoso.example", "soc@contoso.example"]);
    expect(task?.kind === "contact-owner" && task.parameters.recipientSources?.map((recipient) => recipient.source)).toEqual(["vault-tag", "manager", "security-contact"]);
    expect(JSON.stringify(plan)).not.toMatch(/"recipients":\[[^\]]*mallory/u);
    expect(formatPlan(plan)).toContain("bob@contoso.example: manager (manager of mallory@contoso.example)");
    expect(plan.warnings.map((warning) => warning.code)).not.toContain(RemediationCodes.taskWithoutRecipient);
  });

  it("warns in the plan, before apply, about a task nobody could be found for", () => {
    const resolution = { recipients: [], excluded: [], notes: ["mallory@contoso.example has no manager in the directory"] };
    const plan = planResponse(userReport(), undefined, { resolvedRecipients: { "contact-owner": resolution, "escalate-to-admin": resolution } });
    const warning = plan.warnings.find((candidate) => candidate.code === RemediationCodes.taskWithoutRecipient);
    expect(warning?.message).toMatch(/contact-owner task has no recipient.*has no manager.*configure notify\.fallbacks/u);
  });

  it("never lists the suspected user without a resolution either (triage's own recipients)", () => {
    const plan = planResponse(userReport());
    const task = plan.steps.find((step) => step.kind === "contact-owner");
    expect(task?.kind === "contact-owner" && task.parameters.recipients).not.toContain("mallory@contoso.example");
  });

  it("the in-memory directory answers like the tenant", async () => {
    const memory = new InMemoryRecipientDirectory({
      vaultTags: { [VAULT_ID.toUpperCase()]: { owner: "payments@contoso.example" } },
      managers: { [ATTACKER]: { objectId: BYSTANDER, mail: "bob@contoso.example", displayName: "Bob" } },
      securityContacts: { [SUB]: ["soc@contoso.example"] },
    });
    const [fromMemory, fromTenant] = await Promise.all([resolveRecipients(userReport(), memory), resolveRecipients(userReport(), directory())]);
    expect(fromMemory["contact-owner"].recipients.map((recipient) => recipient.address)).toEqual(fromTenant["contact-owner"].recipients.map((recipient) => recipient.address));
  });
});

describe("e-mail through Microsoft Graph sendMail", () => {
  const plan = async () => planResponse(userReport(), undefined, { resolvedRecipients: await resolveRecipients(userReport(), directory()), skip: ["enable-firewall", "restrict-permissions", "revoke-sessions", "rotate-secrets", "disable-secrets", "update-alert-state"], manageAlertState: false });

  it("sends each task from the configured mailbox as plain text with the evidence, and journals it as sent", async () => {
    const graph = new GraphClient(tenant.credential, clientOptions);
    const executors = createAzureExecutors({ credential: tenant.credential, notifier: new EmailNotifier({ mailbox: "keywarden@contoso.example", graph }) });
    const journal = new InMemoryJournal();
    const result = await applyPlan(await plan(), { journal, executors, approve: () => true });
    expect(result.steps.map((step) => [step.kind, step.status])).toEqual([["contact-owner", "sent"]]);
    const [mail] = tenant.state.directory.sentMail;
    expect(mail?.from).toBe("keywarden@contoso.example");
    expect(mail?.message.toRecipients.map((recipient) => recipient.emailAddress.address)).toEqual(["payments@contoso.example", "bob@contoso.example", "soc@contoso.example"]);
    expect(mail?.message.subject).toMatch(/^\[Keywarden\] Confirm access to Key Vault kv-prod/u);
    expect(mail?.message.body.contentType).toBe("text");
    expect(mail?.message.body.content).toContain("source IP: 185.220.101.45");
    expect(mail?.message.body.content).toContain("bob@contoso.example (manager: manager of mallory@contoso.example)");
    expect((await journal.entries()).find((entry) => entry.event === "succeeded")?.code).toBe(RemediationCodes.taskSent);
  });

  it("a mailbox Graph refuses (404) is not delivered, not retried, with Graph's reason in the journal", async () => {
    const graph = new GraphClient(tenant.credential, clientOptions);
    const executors = createAzureExecutors({ credential: tenant.credential, notifier: new EmailNotifier({ mailbox: "nobody@contoso.example", graph }), notifyDelivery: { backoffInMs: 1 } });
    const journal = new InMemoryJournal();
    const result = await applyPlan(await plan(), { journal, executors, approve: () => true });
    expect(result.status).toBe("incomplete");
    expect(result.steps[0]).toMatchObject({ status: "not-delivered", error: { code: RemediationCodes.notifyNotDelivered, status: 404 } });
    expect((await journal.entries()).find((entry) => entry.event === "failed")?.message).toMatch(/not delivered: .*The requested user 'nobody@contoso.example' is invalid/u);
    expect(tenant.calls.all().filter((call) => call.url.includes("/sendMail")).length).toBe(1);
    expect(tenant.state.directory.sentMail).toEqual([]);
  });
});
