import type { FastifyInstance } from "fastify";

import { signDelivery, signatureHeader, timestampHeader } from "../http/delivery-auth.js";
import type { ResponderEnvironment } from "../environment/responder-environment.js";

/**
 * Delivers the sandbox tenant's Defender alerts to the responder as workflow automation would: signed POSTs to
 * /alerts (in process, through the same route and checks). Returns the incident ids.
 */
export async function seedSandboxIncidents(app: FastifyInstance, env: ResponderEnvironment, hmacKey: string): Promise<string[]> {
  const tenant = env.tenant;
  if (tenant === undefined) return [];
  const ids: string[] = [];
  for (const alert of tenant.state.alerts.values()) {
    const body = JSON.stringify(alert);
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await app.inject({
      method: "POST",
      url: "/alerts",
      headers: { "content-type": "application/json", [timestampHeader]: String(timestamp), [signatureHeader]: signDelivery(hmacKey, timestamp, body) },
      payload: body,
    });
    if (response.statusCode === 202) ids.push(response.json<{ incidentId: string }>().incidentId);
  }
  return ids;
}
