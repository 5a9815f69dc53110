import { HttpResponse } from "msw";
import type { DiagnosticSettingsResource } from "../state/arm-types.js";
import { armFail, readArmJson, type ArmCall } from "./arm-call.js";
import { armPath, type ArmRoute } from "./arm-route.js";

/** arm-monitor sends 2017-05-01-preview or 2021-05-01-preview depending on the version. */
const API_VERSIONS = ["2017-05-01-preview", "2021-05-01-preview"] as const;
const BASE = "{*resourceUri}/providers/Microsoft.Insights/diagnosticSettings";

function resourceUri(call: ArmCall): string {
  return (call.params["resourceUri"] ?? "").replace(/\/+$/u, "");
}

function settingId(call: ArmCall): string {
  return `${resourceUri(call)}/providers/microsoft.insights/diagnosticSettings/${call.params["name"] ?? ""}`;
}

function settingsOf(call: ArmCall): DiagnosticSettingsResource[] {
  const prefix = `${resourceUri(call)}/providers/microsoft.insights/diagnosticsettings/`.toLowerCase();
  return [...call.ctx.state.diagnosticSettings.values()].filter((s) => s.id.toLowerCase().startsWith(prefix));
}

/** The resource must exist for its diagnostic settings to be read (vaults and workspaces are the ones the fake knows). */
function requireResource(call: ArmCall): void {
  const uri = resourceUri(call);
  const state = call.ctx.state;
  const known = state.vaults.has(uri) || [...state.workspaces.values()].some((w) => w.resource.id.toLowerCase() === uri.toLowerCase());
  if (!known) armFail(404, "ResourceNotFound", `The Resource '${uri}' was not found.`);
}

async function putSetting(call: ArmCall): Promise<Response> {
  requireResource(call);
  const body = await readArmJson(call);
  const properties = body["properties"] as DiagnosticSettingsResource["properties"] | undefined;
  if (typeof properties !== "object" || properties === null) armFail(400, "BadRequest", "The 'properties' property is required.");
  const destinations = [
    properties.workspaceId,
    properties.storageAccountId,
    properties.eventHubAuthorizationRuleId,
    properties.marketplacePartnerId,
  ];
  if (destinations.every((d) => d === undefined || d === null)) {
    armFail(
      400,
      "BadRequest",
      "At least one of workspaceId, storageAccountId, eventHubAuthorizationRuleId or marketplacePartnerId must be set."
    );
  }
  const id = settingId(call);
  const setting: DiagnosticSettingsResource = {
    id,
    name: call.params["name"] ?? "",
    type: "Microsoft.Insights/diagnosticSettings",
    properties: structuredClone(properties),
  };
  call.ctx.state.diagnosticSettings.set(id, setting);
  return HttpResponse.json(setting);
}

export function insightsRoutes(): ArmRoute[] {
  return [
    {
      operation: "DiagnosticSettings_List",
      method: "GET",
      path: armPath(BASE),
      apiVersions: API_VERSIONS,
      handle: (call) => {
        requireResource(call);
        return HttpResponse.json({ value: settingsOf(call) });
      },
    },
    {
      operation: "DiagnosticSettings_Get",
      method: "GET",
      path: armPath(`${BASE}/{name}`),
      apiVersions: API_VERSIONS,
      handle: (call) => {
        const setting = call.ctx.state.diagnosticSettings.get(settingId(call));
        if (!setting) armFail(404, "ResourceNotFound", `The diagnostic setting '${call.params["name"] ?? ""}' doesn't exist.`);
        return HttpResponse.json(setting);
      },
    },
    {
      operation: "DiagnosticSettings_CreateOrUpdate",
      method: "PUT",
      path: armPath(`${BASE}/{name}`),
      apiVersions: API_VERSIONS,
      handle: putSetting,
    },
    {
      operation: "DiagnosticSettings_Delete",
      method: "DELETE",
      path: armPath(`${BASE}/{name}`),
      apiVersions: API_VERSIONS,
      handle: (call) => {
        const existed = call.ctx.state.diagnosticSettings.delete(settingId(call));
        return new HttpResponse(null, { status: existed ? 200 : 204 });
      },
    },
  ];
}
