import { terminalSafe } from "@keywarden/core";
import type { ApprovalDecision, ApprovalRequest } from "@keywarden/remediation";

import { askApproval } from "../runtime/approval-prompt.js";
import type { Output } from "../runtime/output.js";
import { safeField as t } from "../render/safe-field.js";

export type ApproveFunction = (request: ApprovalRequest) => Promise<ApprovalDecision>;

/** Approves every step: `--yes`, or a dry run (which writes nothing, so there is nothing to approve). */
export function approveAll(by: string): ApproveFunction {
  return () => Promise.resolve({ approved: true, by });
}

/**
 * Asks on the terminal, step by step. "all" approves this and every later step, "quit" denies this and every later
 * one (they stay in the plan: apply again to decide them).
 */
export function promptingApprover(output: Output, signal: AbortSignal): ApproveFunction {
  let standing: "approve" | "deny" | undefined;
  const who = process.env["USER"] ?? process.env["USERNAME"] ?? "operator";
  return async (request) => {
    if (standing === "approve") return { approved: true, by: who, comment: "approved with 'all'" };
    if (standing === "deny") return { approved: false, by: who, comment: "denied with 'quit'" };
    if (signal.aborted) return { approved: false, by: who, comment: "interrupted" };
    const c = output.errColors;
    // The description is the engine's step text (escaped by formatStep); escaping is idempotent, so it is escaped again
    // here in case an embedding passes its own.
    output.streams.stderr.write(
      `\n${c.bold(`Step ${t(request.step.id)}`)} ${c.dim(`(${t(request.step.risk)}, ${request.step.reversible ? "reversible" : "NOT reversible"})`)}\n${terminalSafe(request.description)}\n`,
    );
    const answer = await askApproval(output, "Apply this step?", signal);
    if (answer === "all") standing = "approve";
    if (answer === "quit") standing = "deny";
    return answer === "yes" || answer === "all" ? { approved: true, by: who } : { approved: false, by: who };
  };
}
