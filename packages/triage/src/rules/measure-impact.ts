import { defineTriageRule } from "../define-triage-rule.js";
import { measureImpactAction } from "./action-builders.js";

/** Every alert needs the logs read: what was read, when, by whom (step 3), before credentials are touched (step 4). */
export const measureImpactRule = defineTriageRule({
  meta: {
    id: "kv/measure-impact",
    description:
      "Proposes measuring impact from the vault's diagnostic logs for the alert window, the source IP and the principal (for denied alerts too: confirm nothing else succeeded).",
    messages: {
      succeeded: "Read the vault's logs for {{start}}–{{end}} to find which objects were read and by whom.",
      denied: "The access was denied; read the vault's logs for {{start}}–{{end}} to confirm no other request from this source succeeded.",
      acrossVaults: "The alert is about one principal across many vaults: read the logs of every vault for {{start}}–{{end}}.",
    },
    proposes: ["measure-impact"],
  },
  evaluate: (input) => {
    const { alert, facts } = input;
    const action = measureImpactAction(alert, input);
    const messageId =
      action.kind === "measure-impact" && action.parameters.scope === "all-vaults"
        ? "acrossVaults"
        : facts.accessDenied
          ? "denied"
          : "succeeded";
    return [{ messageId, severity: "medium", data: { start: alert.startTime, end: alert.endTime }, actions: [action] }];
  },
});
