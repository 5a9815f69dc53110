import { HttpResponse } from "msw";
import type { FakeAzureContext } from "../context.js";
import type { SentMailMessage } from "../state/graph-types.js";
import type { TenantState } from "../state/tenant-state.js";
import { GraphFailure, resourceNotFound } from "./graph-failure.js";
import { collection, findDirectoryObject, findUser, readBody, single, type DirectoryObject } from "./index.js";

/**
 * The Graph calls that find and tell people: a user's `manager`, the `owners` of an application (by object id or
 * `applications(appId='...')`), the application itself, and `POST /users/{id}/sendMail`. Answers follow Graph v1.0:
 * 404 `Request_ResourceNotFound` for a user without a manager, 202 with no body for an accepted message,
 * `ErrorInvalidUser` / `MailboxNotEnabledForRESTAPI` / `ErrorInvalidRecipients` for mail Exchange refuses.
 */
export async function peopleRoute(
  ctx: FakeAzureContext,
  request: Request,
  url: URL,
  segments: readonly string[],
  method: string
): Promise<Response | undefined> {
  const state = ctx.state;
  const [root = "", key, sub] = segments;
  const rootLower = root.toLowerCase();

  if (rootLower === "users" && key !== undefined) {
    const action = sub?.toLowerCase();
    if (action === "manager" && segments.length === 3 && method === "GET") {
      const user = findUser(state, key);
      const managerId = state.directory.managers.get(user.id);
      const manager = managerId === undefined ? undefined : findDirectoryObject(state, managerId);
      if (manager === undefined) resourceNotFound("manager");
      return single(url, "directoryObjects", manager);
    }
    if (action === "sendmail" && segments.length === 3 && method === "POST") return sendMail(ctx, request, key);
  }

  if (rootLower === "applications" || rootLower.startsWith("applications(")) {
    const appKey = rootLower.startsWith("applications(") ? root.slice("applications".length) : key;
    const rest = rootLower.startsWith("applications(") ? segments.slice(1) : segments.slice(2);
    if (appKey === undefined && method === "GET") return collection(url, ctx.pageSize, "applications", [...state.directory.applications.values()]);
    if (appKey === undefined) return undefined;
    const application = findApplication(state, appKey);
    if (rest.length === 0 && method === "GET") return single(url, "applications", application);
    if (rest.length === 1 && rest[0]?.toLowerCase() === "owners" && method === "GET") {
      const owners = (state.directory.owners.get(application.id) ?? [])
        .map((id) => findDirectoryObject(state, id))
        .filter((o): o is DirectoryObject => o !== undefined);
      return collection(url, ctx.pageSize, "directoryObjects", owners);
    }
  }
  return undefined;
}

function findApplication(state: TenantState, key: string): DirectoryObject {
  const appId = /^\(appId='([^']+)'\)$/iu.exec(key)?.[1];
  const applications = [...state.directory.applications.values()];
  const found =
    appId !== undefined
      ? applications.find((application) => application.appId.toLowerCase() === appId.toLowerCase())
      : state.directory.applications.get(key);
  if (found === undefined) resourceNotFound(appId ?? key);
  return { "@odata.type": "#microsoft.graph.application", ...found };
}

type Recipient = { emailAddress: { address: string; name?: string } };

function recipientsOf(value: unknown, field: string): Recipient[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new GraphFailure(400, "ErrorInvalidRequest", `message.${field} must be an array of recipients.`);
  return value.map((entry: unknown, i) => {
    const address = (entry as { emailAddress?: { address?: unknown } } | null)?.emailAddress?.address;
    // Exchange resolves only SMTP addresses here; anything else is not a recipient it can route.
    if (typeof address !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(address)) {
      throw new GraphFailure(400, "ErrorInvalidRecipients", `At least one recipient is not valid., Recipient '${typeof address === "string" ? address : JSON.stringify(address ?? null)}' (message.${field}[${i}]) is not resolved.`);
    }
    const name = (entry as { emailAddress: { name?: unknown } }).emailAddress.name;
    return { emailAddress: typeof name === "string" ? { address, name } : { address } };
  });
}

async function sendMail(ctx: FakeAzureContext, request: Request, mailbox: string): Promise<Response> {
  const state = ctx.state;
  let user: DirectoryObject;
  try {
    user = findUser(state, mailbox);
  } catch {
    throw new GraphFailure(404, "ErrorInvalidUser", `The requested user '${mailbox}' is invalid.`);
  }
  const from = typeof user["mail"] === "string" && user["mail"] !== "" ? user["mail"] : undefined;
  if (from === undefined) {
    throw new GraphFailure(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
  }
  const body = await readBody(request);
  const message = body["message"];
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    throw new GraphFailure(400, "ErrorInvalidRequest", "The request body must carry a 'message' object.");
  }
  const fields = message as Record<string, unknown>;
  const content = fields["body"] as { contentType?: unknown; content?: unknown } | undefined;
  const contentType = typeof content?.contentType === "string" ? content.contentType : "text";
  if (!["text", "html"].includes(contentType.toLowerCase())) {
    throw new GraphFailure(400, "ErrorInvalidRequest", `message.body.contentType must be 'text' or 'html', not '${contentType}'.`);
  }
  const toRecipients = recipientsOf(fields["toRecipients"], "toRecipients");
  const ccRecipients = recipientsOf(fields["ccRecipients"], "ccRecipients");
  const bccRecipients = recipientsOf(fields["bccRecipients"], "bccRecipients");
  if (toRecipients.length + ccRecipients.length + bccRecipients.length === 0) {
    throw new GraphFailure(400, "ErrorInvalidRecipients", "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
  }
  const saveToSentItems = body["saveToSentItems"] ?? true;
  if (typeof saveToSentItems !== "boolean") throw new GraphFailure(400, "ErrorInvalidRequest", "saveToSentItems must be a boolean.");
  const recorded: SentMailMessage = {
    mailboxUserId: user.id,
    from,
    sentAt: ctx.clock.date().toISOString(),
    saveToSentItems,
    message: {
      ...structuredClone(fields),
      subject: typeof fields["subject"] === "string" ? fields["subject"] : "",
      body: { contentType: contentType.toLowerCase() === "html" ? "html" : "text", content: typeof content?.content === "string" ? content.content : "" },
      toRecipients,
      ...(ccRecipients.length > 0 ? { ccRecipients } : {}),
    },
  };
  state.directory.sentMail.push(recorded);
  return new HttpResponse(null, { status: 202 });
}
