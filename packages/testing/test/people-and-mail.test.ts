import { describe, expect, it } from "vitest";
import { useFakeAzure } from "../src/vitest.js";
import { APP_ID, APP_SP_ID, baseSeed, SUBSCRIPTION_ID, USER_ID } from "./fixtures/base-seed.js";
import { fetchWithToken } from "./fixtures/sdk-options.js";

const MANAGER_ID = "aaaaaaaa-0000-4000-8000-000000000011";
const APPLICATION_OBJECT_ID = "dddddddd-0000-4000-8000-000000000004";
const APP_OWNER_ID = "aaaaaaaa-0000-4000-8000-000000000012";
const MAILBOX_ID = "aaaaaaaa-0000-4000-8000-000000000013";

function seed() {
  const base = baseSeed();
  const directory = base.directory ?? {};
  return {
    ...base,
    securityContacts: [
      {
        id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/securityContacts/default`,
        name: "default",
        type: "Microsoft.Security/securityContacts",
        properties: {
          emails: "soc@contoso.example;Jane@contoso.example",
          isEnabled: true,
          notificationsByRole: { state: "On", roles: ["Owner"] },
          notificationsSources: [{ sourceType: "Alert", minimalSeverity: "Medium" }],
        },
      },
    ],
    directory: {
      ...directory,
      users: [
        ...(directory.users ?? []),
        { id: MANAGER_ID, displayName: "Mo Manager", userPrincipalName: "mo@contoso.example", mail: "mo@contoso.example" },
        { id: APP_OWNER_ID, displayName: "Ola Owner", userPrincipalName: "ola@contoso.example", mail: "ola@contoso.example" },
        { id: MAILBOX_ID, displayName: "Keywarden", userPrincipalName: "keywarden@contoso.example", mail: "keywarden@contoso.example" },
      ],
      applications: [{ id: APPLICATION_OBJECT_ID, appId: APP_ID, displayName: "billing-worker" }],
      managers: [{ userId: USER_ID, managerId: MANAGER_ID }],
      owners: [...(directory.owners ?? []), { objectId: APPLICATION_OBJECT_ID, ownerIds: [APP_OWNER_ID] }],
    },
  };
}

const azure = useFakeAzure({ seed: seed() });
const GRAPH = "https://graph.microsoft.com/v1.0";
const graph = (path: string, init?: RequestInit) => fetchWithToken(azure.credential, "https://graph.microsoft.com/.default", `${GRAPH}${path}`, init);
const arm = (path: string) => fetchWithToken(azure.credential, "https://management.azure.com/.default", `https://management.azure.com${path}`);
// Graph and ARM answers are loosely typed JSON; the assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (response: Response) => (await response.json()) as Record<string, any>;
const mail = (to: string[], mailbox = MAILBOX_ID) =>
  graph(`/users/${mailbox}/sendMail`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      message: { subject: "Confirm access", body: { contentType: "Text", content: "evidence" }, toRecipients: to.map((address) => ({ emailAddress: { address } })) },
      saveToSentItems: false,
    }),
  });

describe("Graph: managers, application owners, sendMail", () => {
  it("answers a user's manager, and 404 Request_ResourceNotFound for a user without one", async () => {
    expect(await json(await graph(`/users/${USER_ID}/manager`))).toMatchObject({ id: MANAGER_ID, "@odata.type": "#microsoft.graph.user", mail: "mo@contoso.example" });
    const none = await graph(`/users/${MANAGER_ID}/manager`);
    expect(none.status).toBe(404);
    expect((await json(none))["error"].code).toBe("Request_ResourceNotFound");
  });

  it("serves applications and their owners by object id and by appId", async () => {
    expect(await json(await graph(`/applications(appId='${APP_ID}')`))).toMatchObject({ id: APPLICATION_OBJECT_ID, "@odata.type": "#microsoft.graph.application" });
    const byObjectId = await json(await graph(`/applications/${APPLICATION_OBJECT_ID}/owners`));
    expect(byObjectId["value"].map((o: { id: string }) => o.id)).toEqual([APP_OWNER_ID]);
    const byAppId = await json(await graph(`/applications(appId='${APP_ID}')/owners?$select=id,mail`));
    expect(byAppId["value"]).toEqual([{ "@odata.type": "#microsoft.graph.user", id: APP_OWNER_ID, mail: "ola@contoso.example" }]);
    expect((await graph(`/applications/00000000-0000-0000-0000-000000000000/owners`)).status).toBe(404);
    // The service principal keeps its own owners.
    expect((await json(await graph(`/servicePrincipals/${APP_SP_ID}/owners`)))["value"].map((o: { id: string }) => o.id)).toEqual([USER_ID]);
  });

  it("accepts a message with 202 and records it, and refuses what Exchange refuses", async () => {
    const accepted = await mail(["soc@contoso.example"]);
    expect(accepted.status).toBe(202);
    expect(await accepted.text()).toBe("");
    expect(azure.state.directory.sentMail).toEqual([
      expect.objectContaining({
        mailboxUserId: MAILBOX_ID,
        from: "keywarden@contoso.example",
        saveToSentItems: false,
        message: expect.objectContaining({ subject: "Confirm access", body: { contentType: "text", content: "evidence" }, toRecipients: [{ emailAddress: { address: "soc@contoso.example" } }] }),
      }),
    ]);
    expect((await json(await mail([]))).error.code).toBe("ErrorInvalidRecipients");
    expect((await json(await mail(["not an address"]))).error.code).toBe("ErrorInvalidRecipients");
    const unknown = await mail(["soc@contoso.example"], "nobody@contoso.example");
    expect([unknown.status, (await json(unknown)).error.code]).toEqual([404, "ErrorInvalidUser"]);
    // Dana has no mailbox (no `mail`).
    expect((await json(await mail(["soc@contoso.example"], USER_ID))).error.code).toBe("MailboxNotEnabledForRESTAPI");
    expect(azure.state.directory.sentMail).toHaveLength(1);
  });

  it("keeps managers, applications and sent mail through exportSeed", async () => {
    await mail(["soc@contoso.example"]);
    const exported = azure.exportSeed();
    expect(exported.directory?.managers).toEqual([{ userId: USER_ID, managerId: MANAGER_ID }]);
    expect(exported.directory?.applications).toEqual([{ id: APPLICATION_OBJECT_ID, appId: APP_ID, displayName: "billing-worker" }]);
    expect(exported.directory?.sentMail).toHaveLength(1);
    expect(exported.securityContacts).toHaveLength(1);
    azure.reset(exported);
    expect(azure.state.directory.sentMail).toHaveLength(1);
    expect(azure.state.directory.managers.get(USER_ID)).toBe(MANAGER_ID);
  });
});

describe("Defender for Cloud security contacts", () => {
  const base = `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Security/securityContacts`;

  it("lists and gets a subscription's contacts in the 2023-12-01-preview shape", async () => {
    const list = await json(await arm(`${base}?api-version=2023-12-01-preview`));
    expect(list["value"]).toEqual([
      expect.objectContaining({ name: "default", type: "Microsoft.Security/securityContacts", properties: expect.objectContaining({ emails: "soc@contoso.example;Jane@contoso.example", isEnabled: true }) }),
    ]);
    expect(await json(await arm(`${base}/default?api-version=2023-12-01-preview`))).toMatchObject({ name: "default" });
    const missing = await arm(`${base}/other?api-version=2023-12-01-preview`);
    expect(missing.status).toBe(404);
  });

  it("answers 2020-01-01-preview with alertNotifications, and refuses api-versions it does not serve", async () => {
    const old = await json(await arm(`${base}/default?api-version=2020-01-01-preview`));
    expect(old["properties"]).toMatchObject({ emails: "soc@contoso.example;Jane@contoso.example", alertNotifications: { state: "On", minimalSeverity: "Medium" } });
    expect(old["properties"]).not.toHaveProperty("isEnabled");
    expect((await arm(`${base}?api-version=2017-08-01-preview`)).status).toBe(400);
  });

  it("lists no contacts for another subscription's path and 404s an unknown subscription", async () => {
    expect((await arm(`/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Security/securityContacts?api-version=2023-12-01-preview`)).status).toBe(404);
  });
});
