import type { ApprovalDecision, ApprovalRequest } from "@keywarden/remediation";

import { askApproval } from "../runtime/approval-prompt.js";
import type { Output } from "../runtime/output.js";

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
    output.streams.stderr.write(`\n${c.bold(`Step ${request.step.id}`)} ${c.dim(`(${request.step.risk}, ${request.step.reversible ? "reversible" : "NOT reversible"})`)}\n${request.description}\n`);
    const answer = await askApproval(output, "Apply this step?", signal);
    if (answer === "all") standing = "approve";
    if (answer === "quit") standing = "deny";
    return answer === "yes" || answer === "all" ? { approved: true, by: who } : { approved: false, by: who };
  };
}
