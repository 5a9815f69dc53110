import { defineTriageRule } from "../define-triage-rule.js";

/** Marks a real alert as being worked on, so that other responders see it is taken. */
export const trackAlertRule = defineTriageRule({
  meta: {
    id: "kv/track-alert",
    description: "Moves a real alert to InProgress while the response runs (remediation resolves it when the plan completes).",
    messages: { track: "Mark the alert InProgress while the response runs." },
    proposes: ["update-alert-state"],
  },
  evaluate: ({ alert, policy, facts }) => {
    if (alert.simulated && policy.simulatedAlerts === "report-only") return [];
    if (alert.status !== "Active") return [];
    return [
      {
        messageId: "track",
        severity: "info",
        actions: [
          {
            kind: "update-alert-state",
            target: facts.alert,
            parameters: { state: "InProgress", comment: `Keywarden triage started on ${alert.kind}.` },
          },
        ],
      },
    ];
  },
});
