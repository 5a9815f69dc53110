import { loadConfig } from "./config/config.js";
import { createResponder } from "./app.js";
import { seedSandboxIncidents } from "./sandbox/seed-incident.js";

/** `npm start -w apps/responder`: the responder on the sandbox tenant by default (see README for Azure). */
async function main(): Promise<void> {
  const config = loadConfig();
  const sandbox = config.mode === "sandbox";
  const loginHint = sandbox ? `Sandbox users: ${config.users.map((user) => `${user.username} / ${user.password} (${user.roles.join(", ")})`).join("; ")}.` : undefined;
  const responder = await createResponder({ config, logger: !sandbox, ...(loginHint === undefined ? {} : { loginHint }) });
  const url = await responder.listen();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Keywarden responder listening on ${url} (${config.mode}, store ${responder.store.kind})`);
  if (sandbox) {
    const seeded = config.sandbox.seedIncident ? await seedSandboxIncidents(responder.app, responder.env, config.hmacKey!) : [];
    out(`Sandbox tenant: scenario ${config.sandbox.scenario}; ${seeded.length} alert(s) delivered.`);
    if (seeded[0] !== undefined) out(`Open the seeded incident: ${url}/ui/incidents/${seeded[0]}`);
    out(`Sign in at ${url}/login as alice / sandbox-alice (approver); also: admin / sandbox-admin, victor / sandbox-victor (viewer), ravi / sandbox-ravi (the suspected user).`);
    if (config.generated.hmacKey) out(`KEYWARDEN_RESPONDER_HMAC_KEY (generated for this run): ${config.hmacKey}`);
    if (config.generated.adminToken) out(`KEYWARDEN_RESPONDER_ADMIN_TOKEN (generated for this run): ${config.adminToken}`);
  }
  const stop = () => {
    out("Stopping…");
    responder.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(`keywarden-responder: ${typeof code === "string" ? `${code} ` : ""}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
