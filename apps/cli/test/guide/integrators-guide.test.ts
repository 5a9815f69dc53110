import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { parseAlert } from "@keywarden/alerts";
import { MemoryNotifier, permissionCatalog, randomValueRotator } from "@keywarden/remediation";
import { createFakeAzure, getScenario, SCENARIO_NAMES } from "@keywarden/testing";
import { describe, expect, it } from "vitest";

import { respondToDefenderAlert } from "./soar-playbook.js";

const guide = readFileSync(new URL("../../../../docs/integrators-guide.md", import.meta.url), "utf8");

describe("docs/integrators-guide.md", () => {
  it("embeds the playbook that this suite compiles and runs, verbatim", () => {
    const playbook = readFileSync(new URL("./soar-playbook.ts", import.meta.url), "utf8");
    expect(guide).toContain(`\`\`\`ts\n${playbook}\`\`\``);
  });

  it("lists every permission the CLI explains on a 403, with its role", () => {
    for (const requirement of permissionCatalog) {
      const row = guide.split("\n").find((line) => line.startsWith(`| ${requirement.operation} |`));
      expect(row, requirement.operation).toBeDefined();
      expect(row).toContain(requirement.role);
      expect(row).toContain(requirement.permission.split(" (")[0]);
    }
  });
});

describe("the integrators' playbook, against the fake tenant with the real Azure SDK clients", () => {
  /**
   * What differs between the built-in scenarios: a caller that was denied everything read nothing, so its plan has
   * no step that needs a person and no owner to ask about an access (the playbook still closes the firewall).
   */
  const asksForApproval: Record<(typeof SCENARIO_NAMES)[number], boolean> = {
    "tor-secret-reads": true,
    "unusual-app": true,
    "denied-probing-suspicious-ip": false,
    "directory-role-user": true,
    "policy-change-then-reads": true,
  };

  it.each(SCENARIO_NAMES)("takes the %s alert to a completed, journaled response", async (scenario) => {
    const tenant = createFakeAzure({ seed: getScenario(scenario) });
    tenant.listen();
    const dir = mkdtempSync(join(tmpdir(), "keywarden-guide-"));
    try {
      const [payload] = [...tenant.state.alerts.values()];
      const asked: string[] = [];
      const notifier = new MemoryNotifier();
      const outcome = await respondToDefenderAlert(payload, {
        credential: tenant.credential,
        journalPath: join(dir, "journal.jsonl"),
        approve: (request) => {
          asked.push(request.step.kind);
          return Promise.resolve(request.step.risk !== "destructive");
        },
        now: () => tenant.clock.date(),
        // The fake's secrets back nothing outside the vault, so a random value is a faithful rotation here.
        remediationPolicy: { firewall: { addIpRules: [tenant.state.network.defaultCallerIp] }, secrets: { allowRandomValue: true } },
        rotators: [randomValueRotator()],
        notifier,
      });
      expect(outcome.alert.id).toBe(parseAlert(payload).id);
      expect(outcome.plan.steps.length).toBeGreaterThan(0);
      expect(asked.length > 0).toBe(asksForApproval[scenario]);
      expect(outcome.result.steps.filter((step) => step.status === "failed")).toEqual([]);
      expect(outcome.result.status).toBe("completed");
      expect(tenant.state.vaults.get(outcome.alert.vault.resourceId)?.resource.properties.networkAcls?.defaultAction).toBe("Deny");
      expect(outcome.text.plan.length).toBeGreaterThan(0);
      if (asksForApproval[scenario]) expect(notifier.tasks.map((task) => task.kind)).toContain("contact-owner");
      const journal = readFileSync(join(dir, "journal.jsonl"), "utf8").trim().split("\n");
      expect(journal.length).toBeGreaterThan(outcome.plan.steps.length);
    } finally {
      tenant.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
