import { HttpResponse } from "msw";
import type { SecurityContact } from "../state/arm-types.js";
import { armFail, pageOf, type ArmCall } from "./arm-call.js";
import { armPath, type ArmRoute } from "./arm-route.js";

/** The spec versions with `emails` as one semicolon-separated string (2017-08-01-preview's `email` shape is not served). */
const API_VERSIONS = ["2020-01-01-preview", "2023-12-01-preview"] as const;
const BASE = "/subscriptions/{subscriptionId}/providers/Microsoft.Security/securityContacts";

function contactsOf(call: ArmCall): SecurityContact[] {
  const prefix = `/subscriptions/${call.params["subscriptionId"] ?? ""}/providers/Microsoft.Security/securityContacts/`.toLowerCase();
  return [...call.ctx.state.securityContacts.values()].filter((contact) => contact.id.toLowerCase().startsWith(prefix));
}

/**
 * 2020-01-01-preview names the same settings differently: `alertNotifications` (state + minimalSeverity) instead of
 * `notificationsSources`, and no `isEnabled`.
 */
function asVersion(contact: SecurityContact, apiVersion: string): Record<string, unknown> {
  const resource = { ...structuredClone(contact), type: "Microsoft.Security/securityContacts" };
  if (apiVersion !== "2020-01-01-preview") return resource;
  const { notificationsSources, isEnabled, ...rest } = resource.properties;
  const alert = notificationsSources?.find((source) => source.sourceType === "Alert");
  return {
    ...resource,
    properties: {
      ...rest,
      alertNotifications: { state: isEnabled === false || alert === undefined ? "Off" : "On", ...(alert?.minimalSeverity === undefined ? {} : { minimalSeverity: alert.minimalSeverity }) },
    },
  };
}

/** `SecurityContacts_List` and `SecurityContacts_Get` of Microsoft Defender for Cloud (subscription scope). */
export function securityContactRoutes(): ArmRoute[] {
  return [
    {
      operation: "SecurityContacts_List",
      method: "GET",
      path: armPath(BASE),
      apiVersions: API_VERSIONS,
      handle: (call) => HttpResponse.json(pageOf(call, contactsOf(call).map((contact) => asVersion(contact, call.apiVersion)))),
    },
    {
      operation: "SecurityContacts_Get",
      method: "GET",
      path: armPath(`${BASE}/{securityContactName}`),
      apiVersions: API_VERSIONS,
      handle: (call) => {
        const name = (call.params["securityContactName"] ?? "").toLowerCase();
        const contact = contactsOf(call).find((candidate) => candidate.name.toLowerCase() === name);
        if (contact === undefined) armFail(404, "NotFound", `Security contact '${call.params["securityContactName"] ?? ""}' was not found.`);
        return HttpResponse.json(asVersion(contact, call.apiVersion));
      },
    },
  ];
}
