import type { JsonValue, TaskRecipient } from "../plan/remediation-plan.js";

/** A task for a person: the owner to confirm access, an administrator to decide on a privileged principal. */
export interface NotificationTask {
  /** `<planId>/<stepId>`: stable, so a notifier (or its receiver) can drop duplicates. */
  id: string;
  kind: "contact-owner" | "escalate-to-admin";
  planId: string;
  alertIds: string[];
  recipients: string[];
  /** Each recipient with where it was found (owner tag, manager, owners, security contacts, fallback), when resolved. */
  recipientSources?: TaskRecipient[];
  subject: string;
  message: string;
  /** Secret-free evidence (IP, principal, operations, the triage findings). */
  evidence: Record<string, JsonValue>;
  vault?: string;
  principal?: string;
  /** What the plan does about the alert, step by step ("close the firewall of kv1 ...", "rotate secret/db-password"). */
  response?: string[];
}

export interface NotificationReceipt {
  /** Which notifier delivered it (`console`, `webhook`, ...). */
  channel: string;
  /** The receiver's id for the delivery, when it returns one. */
  deliveryId?: string;
}

/** Delivers tasks. Implementations must be safe to call twice with the same task id. */
export interface Notifier {
  notify(task: NotificationTask, options?: { abortSignal?: AbortSignal }): Promise<NotificationReceipt>;
}
