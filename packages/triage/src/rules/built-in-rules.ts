import type { TriageRule } from "../triage-rule.js";
import { allowListedIpRule } from "./allow-listed-ip.js";
import { directoryRoleHolderRule } from "./directory-role-holder.js";
import { firewallGrantedIpRule } from "./firewall-granted-ip.js";
import { keysUsedRule } from "./keys-used.js";
import { measureImpactRule } from "./measure-impact.js";
import { originUnknownRule } from "./origin-unknown.js";
import { policyChangeReviewRule } from "./policy-change-review.js";
import { recognisedPrincipalRule } from "./recognised-principal.js";
import { secretsExposedRule } from "./secrets-exposed.js";
import { simulatedAlertRule } from "./simulated-alert.js";
import { trackAlertRule } from "./track-alert.js";
import { unauthorisedPrincipalRule } from "./unauthorised-principal.js";
import { unrecognisedIpRule } from "./unrecognised-ip.js";

/** The rules that cover Microsoft's guidance for Defender for Key Vault alerts, in evaluation order. */
export const builtInRules: readonly TriageRule[] = Object.freeze([
  simulatedAlertRule,
  trackAlertRule,
  originUnknownRule,
  unrecognisedIpRule,
  firewallGrantedIpRule,
  allowListedIpRule,
  recognisedPrincipalRule,
  unauthorisedPrincipalRule,
  directoryRoleHolderRule,
  policyChangeReviewRule,
  measureImpactRule,
  secretsExposedRule,
  keysUsedRule,
]);
