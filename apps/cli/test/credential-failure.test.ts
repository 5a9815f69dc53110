import { afterAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());

/**
 * A machine with no Azure identity: no service-principal variables, no Azure CLI or azd on the PATH, and
 * `AZURE_TOKEN_CREDENTIALS=dev` so DefaultAzureCredential skips the managed-identity probe (no network in CI).
 */
const noIdentity: Record<string, string> = {
  AZURE_TOKEN_CREDENTIALS: "dev",
  AZURE_CLIENT_ID: "",
  AZURE_CLIENT_SECRET: "",
  AZURE_TENANT_ID: "",
  AZURE_USERNAME: "",
  PATH: "/nonexistent",
  HOME: work.dir,
};

describe("live mode with DefaultAzureCredential failing", () => {
  it("names the credential chain's causes and the fix on the error line (text and json), exit 1", async () => {
    const args = ["alerts", "list", "--subscription", "6a0f1d2e-0000-4000-8000-000000000001"];
    const text = await runCli(args, { cwd: work.dir, env: noIdentity });
    expect(text.code, text.stderr).toBe(1);
    const line = text.stderr.split("\n").find((candidate) => candidate.startsWith("error:")) ?? "";
    expect(line).toMatch(/no Azure identity was found \(.*Azure CLI.*\)/);
    expect(line).toMatch(/\[KW_ALERTS_E\d{4}\] Fix: Sign in with `az login`.*AZURE_CLIENT_SECRET.*managed identity.*--sandbox\.$/);
    const json = await runCli([...args, "--format", "json"], { cwd: work.dir, env: noIdentity });
    const document = parseJsonOutput(json);
    expect(document.error).toMatchObject({ code: expect.stringMatching(/^KW_ALERTS_E/), exitCode: 1, hint: expect.stringContaining("az login") });
  }, 120_000);
});
