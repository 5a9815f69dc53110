import { stepOutcomesFromResult, type RemediationPlan, type StepResult } from "@keywarden/remediation";
import { describe, expect, it } from "vitest";

import fc from "fast-check";

import { buildIncidentReport, renderIncidentMarkdown, renderIncidentText, type IncidentReport } from "./incident-report.js";

type ResultStep = Pick<StepResult, "stepId" | "status" | "changes" | "error"> & { kind: string };

/** The engine's step results (only the fields reporting reads), as `applyPlan` returns them. */
function outcomesFromResult(steps: ResultStep[], dryRun: boolean) {
  return stepOutcomesFromResult({ dryRun, steps: steps.map((step) => ({ warnings: [], retries: 0, ...step }) as StepResult) });
}

const plan = {
  id: "kwp_00000000000000000000000000000000",
  steps: [
    { id: "s01-enable-firewall", kind: "enable-firewall", target: {} },
    { id: "s02-rotate-secrets", kind: "rotate-secrets", target: { objects: [{ type: "secret", name: "db" }] } },
    { id: "s03-delete-secrets", kind: "delete-secrets", target: { objects: [{ type: "secret", name: "old" }] } },
  ],
} as unknown as RemediationPlan;

describe("buildIncidentReport", () => {
  it("turns denied, failed and unfinished steps into follow-up, with the permission a 403 needs", () => {
    const outcomes = outcomesFromResult(
      [
        { stepId: "s01-enable-firewall", kind: "enable-firewall", status: "succeeded", changes: ["defaultAction Allow → Deny"] },
        { stepId: "s02-rotate-secrets", kind: "rotate-secrets", status: "failed", changes: [], error: { code: "X", message: "Forbidden", status: 403 } },
        { stepId: "s03-delete-secrets", kind: "delete-secrets", status: "denied", changes: [] },
      ],
      false,
    );
    const report = buildIncidentReport({ generatedAt: "2026-01-15T12:00:00.000Z", mode: "sandbox", plan, outcomes, rollbackCommand: "keywarden rollback --journal j" });
    expect(report.followUp).toEqual([
      expect.stringMatching(/^Step s02-rotate-secrets \(rotate-secrets\) failed: Forbidden\. It needs Microsoft\.KeyVault\/vaults\/secrets\/setSecret\/action .*Key Vault Secrets Officer.*--allow-ip/),
      "Step s03-delete-secrets (delete-secrets) was not approved: decide and apply it by hand or re-run apply.",
      "To undo the reversible changes: keywarden rollback --journal j",
    ]);
  });

  it("lists objects the impact says to rotate that no finished step covered", () => {
    const outcomes = outcomesFromResult([{ stepId: "s02-rotate-secrets", kind: "rotate-secrets", status: "succeeded", changes: [] }], false);
    const impact = {
      toRotate: [
        { type: "secret", name: "DB", uri: "", versions: [], reasonCode: "value-read", reason: "read" },
        { type: "secret", name: "jwt", uri: "", versions: [], reasonCode: "value-read", reason: "read twice" },
      ],
      objects: [],
      gaps: [],
      basis: "logs",
      coverage: { status: "complete" },
    } as unknown as Parameters<typeof buildIncidentReport>[0]["impact"];
    const report = buildIncidentReport({ generatedAt: "t", mode: "live", plan, outcomes, ...(impact === undefined ? {} : { impact }) });
    expect(report.followUp).toEqual(["Rotate secret 'jwt': read twice"]);
  });

  it("renders Markdown tables that survive pipes in messages", () => {
    const outcomes = outcomesFromResult([{ stepId: "s01-enable-firewall", kind: "enable-firewall", status: "failed", changes: [], error: { code: "X", message: "a | b" } }], false);
    const markdown = renderIncidentMarkdown(buildIncidentReport({ generatedAt: "t", mode: "live", plan, outcomes }));
    expect(markdown).toContain("| s01-enable-firewall | enable-firewall | ✘ failed | a \\| b |");
  });

  it("alert and tenant text cannot forge the report: ANSI, forged lines, bidi and HTML are escaped in Markdown and on the terminal", () => {
    const payloads = ["\u001b[2J\u001b]0;owned\u0007", "ok\nerror: forged line", "invoice\u202etxt.exe", "<script>alert(1)</script>", "[x](javascript:alert(1))", "a`b|c\r\nd"];
    const plain = (text: string) => text;
    const colors = { bold: plain, dim: plain, green: plain, red: plain, yellow: plain } as unknown as Parameters<typeof renderIncidentText>[1];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...payloads), fc.string({ unit: "binary" })), (payload) => {
        const outcomes = outcomesFromResult([{ stepId: "s01-enable-firewall", kind: "enable-firewall", status: "failed", changes: [], error: { code: "X", message: payload } }], false);
        const report: IncidentReport = {
          ...buildIncidentReport({ generatedAt: "t", mode: "live", plan, outcomes }),
          alert: { id: payload, displayName: payload, kind: payload, severity: payload, simulated: false, vault: payload, sourceIp: payload, principal: payload },
          triage: { origin: payload, verdict: payload, summary: payload, findings: [{ id: payload, severity: payload, message: payload }] },
          verification: [{ check: payload, passed: false, detail: payload }],
        };
        const markdown = renderIncidentMarkdown(report);
        const text = renderIncidentText(report, colors);
        for (const output of [markdown, text]) {
          // eslint-disable-next-line no-control-regex -- asserting their absence
          expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
          // A payload's line break never starts a line of its own.
          expect(output.split("\n").some((line) => line.startsWith("error: "))).toBe(false);
        }
        // No raw markup reaches the Markdown: outside code spans there is no `<`.
        expect(markdown.replace(/(`+)[^`]*?\1/g, "")).not.toContain("<");
      }),
      { numRuns: 200 },
    );
  });
});
