import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { admin, eventually, firstAlertJson, signedHeaders, startTestResponder, type TestResponder } from "./helpers/responder.js";

const chromiumPath = "/usr/bin/chromium";
const artefacts = fileURLToPath(new URL("../test-results/", import.meta.url));
const available = existsSync(chromiumPath);
if (!available) {
  if (process.env["CI"] === "true") throw new Error(`${chromiumPath} is missing: .ci/run installs Debian's chromium.`);
  console.warn(`\n!!! Browser tests SKIPPED: ${chromiumPath} is missing (apt-get install -y chromium)\n`);
}

describe.skipIf(!available)("in a real browser (Debian's Chromium through playwright-core)", () => {
  let responder: TestResponder;
  let browser: BrowserContext;
  let base: string;
  let incidentId: string;
  let profile: string;

  beforeAll(async () => {
    responder = await startTestResponder({ overrides: { host: "127.0.0.1", port: 0 } });
    base = await responder.listen();
    const body = JSON.stringify(firstAlertJson(responder.tenant));
    incidentId = (await responder.app.inject({ method: "POST", url: "/alerts", headers: signedHeaders(body), payload: body })).json().incidentId;
    await eventually(async () => ((await responder.store.getIncident(incidentId))?.state === "awaiting-approval" ? true : undefined), 60_000, "awaiting-approval");
    profile = mkdtempSync(join(tmpdir(), "kw-chromium-"));
    // A fresh profile (--user-data-dir) each run; flags for this machine's closed network and for running as root.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    mkdirSync(artefacts, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await responder?.cleanup();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  const stepStatus = async (page: Page, stepId: string) => page.locator(`#step-${stepId} [data-status]`).getAttribute("data-status");
  const waitApplied = async (page: Page, stepId: string) => {
    await eventually(async () => {
      await page.reload();
      return (await stepStatus(page, stepId)) === "applied" ? true : undefined;
    }, 30_000, `${stepId} applied in the page`);
  };

  it("signs in, opens the incident, approves a step and sees it applied (screenshot saved)", async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    expect(page.url()).toContain("/login");
    await page.getByLabel("User name").fill("alice");
    await page.getByLabel("Password").fill("sandbox-alice");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Access from a TOR exit node to a key vault" }).click();
    await expect.poll(() => page.url()).toContain(`/ui/incidents/${incidentId}`);
    expect(await page.locator("[data-state]").getAttribute("data-state")).toBe("awaiting-approval");
    expect(await stepStatus(page, "s05-restrict-permissions")).toBe("pending-approval");
    // The plan as a diff, the evidence and the timeline are on the page.
    await expect.poll(() => page.locator("#step-s05-restrict-permissions pre.diff").innerText()).toContain("take away");
    expect(await page.locator("#h-journal ~ ol.timeline li").count()).toBeGreaterThan(3);
    await page.locator("#reason-s05-restrict-permissions").fill("confirmed with the owner");
    await page.getByRole("button", { name: "Approve s05-restrict-permissions" }).click();
    await waitApplied(page, "s05-restrict-permissions");
    await page.screenshot({ path: join(artefacts, "responder-incident-approved.png"), fullPage: true });
    const decision = (await responder.store.getIncident(incidentId))!.steps.find((step) => step.id === "s05-restrict-permissions")!.decision;
    expect(decision).toMatchObject({ approved: true, by: "Alice (on-call approver) <local:alice>", reason: "confirmed with the owner" });
    await page.close();
  });

  it("does the same with the keyboard only", async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    const focusUntil = async (predicate: string, max = 80) => {
      for (let i = 0; i < max; i += 1) {
        if (await page.evaluate(predicate)) return;
        await page.keyboard.press("Tab");
      }
      throw new Error(`focus never reached: ${predicate}`);
    };
    await focusUntil("document.activeElement?.id === 'username'");
    await page.keyboard.type("admin");
    await page.keyboard.press("Tab");
    await page.keyboard.type("sandbox-admin");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/`);
    await focusUntil(`document.activeElement?.getAttribute('href') === '/ui/incidents/${incidentId}'`);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${base}/ui/incidents/${incidentId}`);
    await focusUntil("document.activeElement?.id === 'reason-s03-enable-firewall'", 200);
    await page.keyboard.type("close the vault");
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Approve s03-enable-firewall");
    await page.keyboard.press("Enter");
    await waitApplied(page, "s03-enable-firewall");
    await page.screenshot({ path: join(artefacts, "responder-keyboard-approved.png"), fullPage: true });
    const vault = [...responder.tenant.state.vaults.values()][0]!;
    expect(vault.resource.properties.networkAcls?.defaultAction).toBe("Deny");
    expect((await responder.app.inject({ method: "GET", url: `/incidents/${incidentId}`, headers: admin })).json().steps.find((s: { id: string }) => s.id === "s03-enable-firewall").status).toBe("applied");
    await page.close();
  });
});
