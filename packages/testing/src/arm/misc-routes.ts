import { HttpResponse } from "msw";
import { armFail, pageOf, type ArmCall } from "./arm-call.js";
import { armPath, type ArmRoute } from "./arm-route.js";

const NETWORK_API_VERSIONS = [
  "2021-05-01",
  "2022-07-01",
  "2023-04-01",
  "2023-09-01",
  "2023-11-01",
  "2024-01-01",
  "2024-05-01",
  "2024-07-01",
] as const;
const SUBSCRIPTION_API_VERSIONS = ["2016-06-01", "2020-01-01", "2021-01-01", "2022-12-01"] as const;
const WORKSPACE_API_VERSIONS = ["2020-08-01", "2021-06-01", "2022-10-01", "2023-09-01", "2025-02-01"] as const;

function serviceTags(call: ArmCall): Response {
  const { subscriptionId = "" } = call.params;
  const { changeNumber, cloud, values } = call.ctx.state.serviceTags;
  return HttpResponse.json({
    name: cloud.toLowerCase(),
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.Network/serviceTags/${cloud.toLowerCase()}`,
    type: "Microsoft.Network/serviceTags",
    changeNumber,
    cloud,
    values,
  });
}

function getWorkspace(call: ArmCall): Response {
  const { subscriptionId = "", resourceGroupName = "", workspaceName = "" } = call.params;
  const id =
    `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/${workspaceName}`.toLowerCase();
  const workspace = [...call.ctx.state.workspaces.values()].find((w) => w.resource.id.toLowerCase() === id);
  if (!workspace)
    armFail(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.OperationalInsights/workspaces/${workspaceName}' under resource group '${resourceGroupName}' was not found.`
    );
  return HttpResponse.json({ type: "Microsoft.OperationalInsights/workspaces", ...workspace.resource });
}

/** Service tags (IP classification), subscriptions and Log Analytics workspaces (diagnostic-setting targets). */
export function miscRoutes(): ArmRoute[] {
  return [
    {
      operation: "ServiceTags_List",
      method: "GET",
      path: armPath("/subscriptions/{subscriptionId}/providers/Microsoft.Network/locations/{location}/serviceTags"),
      apiVersions: NETWORK_API_VERSIONS,
      handle: serviceTags,
    },
    {
      operation: "Subscriptions_List",
      method: "GET",
      path: armPath("/subscriptions"),
      apiVersions: SUBSCRIPTION_API_VERSIONS,
      handle: (call) => HttpResponse.json(pageOf(call, [...call.ctx.state.subscriptions.values()])),
    },
    {
      operation: "Subscriptions_Get",
      method: "GET",
      path: armPath("/subscriptions/{subscriptionId}"),
      apiVersions: SUBSCRIPTION_API_VERSIONS,
      handle: (call) => HttpResponse.json(call.ctx.state.subscriptions.get(call.params["subscriptionId"] ?? "")),
    },
    {
      operation: "Workspaces_Get",
      method: "GET",
      path: armPath(
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}"
      ),
      apiVersions: WORKSPACE_API_VERSIONS,
      handle: getWorkspace,
    },
  ];
}
