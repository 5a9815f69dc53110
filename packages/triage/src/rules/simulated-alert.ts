import { defineTriageRule } from "../define-triage-rule.js";

/** Defender sample alerts (`SIMULATED_KV_*`) exercise the pipeline; they describe no real access. */
export const simulatedAlertRule = defineTriageRule({
  meta: {
    id: "kv/simulated-alert",
    description:
      "Flags Defender sample alerts. Unless the policy says `simulatedAlerts: \"respond\"`, every other action is withheld and the sample alert is proposed for dismissal.",
    messages: {
      reportOnly: "{{alertType}} is a Defender sample alert: nothing changes in Azure; the actions real triage would take are listed as withheld.",
      respond: "{{alertType}} is a Defender sample alert, handled like a real one because the policy says simulatedAlerts: respond.",
    },
    proposes: ["update-alert-state"],
    closes: ["Dismissed"],
    requiresApproval: true,
  },
  evaluate: ({ alert, policy, facts }) => {
    if (!alert.simulated) return [];
    if (policy.simulatedAlerts === "respond") {
      return [{ messageId: "respond", severity: "info", data: { alertType: alert.alertType } }];
    }
    return [
      {
        messageId: "reportOnly",
        severity: "info",
        data: { alertType: alert.alertType },
        actions: [
          {
            kind: "update-alert-state",
            target: facts.alert,
            parameters: { state: "Dismissed", comment: "Defender sample alert (SIMULATED_): no real access to respond to." },
          },
        ],
      },
    ];
  },
});
