import { terminalSafe } from "@keywarden/core";
import type { JsonValue } from "../plan/remediation-plan.js";
import type { NotificationTask } from "./notifier.js";

function valueText(value: JsonValue): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join("; ");
  return JSON.stringify(value);
}

/** Labels for the evidence people look for first; any other key is printed as it is. */
const LABELS = new Map<string, string>([
  ["origin", "source"],
  ["ipAddress", "source IP"],
  ["ipLocation", "IP location"],
  ["principal", "principal"],
  ["principalObjectId", "principal object id"],
  ["findings", "findings"],
  ["objectsRead", "objects read"],
  ["alertType", "alert type"],
]);

/**
 * A task as plain text for people: subject, who it is for (and where each address came from), the message, the
 * evidence (source, findings, objects read) and what the response does. Every value from outside is passed through
 * `terminalSafe`, so an alert's text cannot move a cursor or hide itself in a terminal or a mail client.
 */
export function taskText(task: NotificationTask): string[] {
  const line = (text: string) => terminalSafe(text, { singleLine: true });
  const lines = [`[${line(task.kind)}] ${line(task.subject)}`];
  if (task.recipientSources !== undefined && task.recipientSources.length > 0) {
    lines.push("  to:");
    for (const recipient of task.recipientSources) lines.push(`    ${line(recipient.address)} (${line(recipient.source)}: ${line(recipient.detail)})`);
  } else lines.push(`  to: ${line(task.recipients.join(", ")) || "(nobody was found)"}`);
  lines.push(`  alerts: ${line(task.alertIds.join(", "))}  plan: ${line(task.planId)}`);
  if (task.vault !== undefined) lines.push(`  vault: ${line(task.vault)}`);
  // Each line of the message on its own: a line break inside it (a planner's) stays a line, indented under the task.
  lines.push(...task.message.split("\n").map((text) => `  ${line(text)}`));
  const evidence = Object.entries(task.evidence);
  if (evidence.length > 0) {
    lines.push("  evidence:");
    for (const [key, value] of evidence) {
      const label = LABELS.get(key) ?? key;
      if (Array.isArray(value) && value.length > 1) {
        lines.push(`    ${line(label)}:`);
        for (const item of value) lines.push(`      - ${line(valueText(item))}`);
      } else lines.push(`    ${line(label)}: ${line(valueText(value))}`);
    }
  }
  if (task.response !== undefined && task.response.length > 0) {
    lines.push("  response (what the plan does):");
    for (const action of task.response) lines.push(`    - ${line(action)}`);
  }
  return lines;
}
