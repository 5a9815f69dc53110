import { z } from "zod";

/**
 * The `notify:` section of the policy file: where contact-owner / escalate-to-admin tasks go, how delivery is
 * retried, and how recipients are found. Every target URL must be `https://` (tasks carry incident evidence): the
 * file is refused at load otherwise, before anything runs.
 */
const httpsUrl = z
  .string()
  .refine((value) => URL.canParse(value), "is not a URL")
  .refine((value) => URL.canParse(value) && new URL(value).protocol === "https:", "is not HTTPS: tasks carry incident evidence; give an https:// URL");

const address = z.string().regex(/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>".]+$/u, "is not an e-mail address");

const channelSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("console") }),
  z.strictObject({ type: z.literal("webhook"), url: httpsUrl, headers: z.record(z.string(), z.string()).optional() }),
  z.strictObject({ type: z.literal("teams"), url: httpsUrl }),
  /** E-mail through Microsoft Graph `sendMail`, from this mailbox (a user id or UPN with a mailbox; needs `Mail.Send`). */
  z.strictObject({ type: z.literal("email"), mailbox: z.string().min(1) }),
]);

const sourceSchema = z.enum(["vault-tag", "manager", "application-owner", "service-principal-owner", "security-contact", "fallback"]);

export const notifyConfigSchema = z.strictObject({
  /** Where tasks go, besides the console (always on). */
  channels: z.array(channelSchema).default([]),
  delivery: z
    .strictObject({
      attempts: z.number().int().min(1).max(10).optional(),
      backoffInMs: z.number().int().min(0).max(600_000).optional(),
      maxBackoffInMs: z.number().int().min(0).max(3_600_000).optional(),
      /** A task that was not delivered does not fail the run (exit 0); it is still journaled "not delivered". */
      bestEffort: z.boolean().optional(),
    })
    .default({}),
  recipients: z
    .strictObject({
      /** Vault tag names that hold owner addresses, in order (case-insensitive). Default `["owner", "contact"]`. */
      ownerTags: z.array(z.string().min(1)).optional(),
      sources: z.strictObject({ "contact-owner": z.array(sourceSchema).optional(), "escalate-to-admin": z.array(sourceSchema).optional() }).optional(),
      /** Told when the tenant names nobody for a task. */
      fallbacks: z.strictObject({ owner: z.array(address).optional(), admin: z.array(address).optional() }).optional(),
    })
    .default({}),
});

export type NotifyConfig = z.infer<typeof notifyConfigSchema>;
export type NotifyChannel = NotifyConfig["channels"][number];

/** Every problem with a `notify:` section, one line each (`notify.channels[1].url: is not HTTPS ...`). */
export function notifyConfigProblems(value: unknown): { config: NotifyConfig; problems: [] } | { config?: undefined; problems: string[] } {
  const parsed = notifyConfigSchema.safeParse(value);
  if (parsed.success) return { config: parsed.data, problems: [] };
  return {
    problems: parsed.error.issues.map((issue) => `notify${issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("")}: ${issue.message}`),
  };
}

/**
 * One `--notify` value as a channel: `console`, `webhook:<https-url>`, `teams:<https-url>` or `email:<mailbox>`.
 * Returns a problem in words instead when it is none of them (or a URL is not HTTPS).
 */
export function channelFromFlag(value: string): NotifyChannel | string {
  if (value === "console") return { type: "console" };
  const separator = value.indexOf(":");
  const kind = separator < 0 ? value : value.slice(0, separator);
  const rest = separator < 0 ? "" : value.slice(separator + 1);
  const candidate = kind === "email" ? { type: "email", mailbox: rest } : { type: kind, url: rest };
  const parsed = channelSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  if (!["webhook", "teams", "email"].includes(kind)) return `--notify ${value}: use console, webhook:<https-url>, teams:<https-url> or email:<mailbox>`;
  return `--notify ${value}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; ")}`;
}
