import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CoreError } from "../errors/core-error.js";
import { createManualClock } from "../time/manual-clock.js";
import { FileLockProvider } from "./file-lock-provider.js";
import { InMemoryLockProvider } from "./in-memory-lock-provider.js";
import { vaultLockName, withLock } from "./lock.js";

const run = promisify(execFile);
const tempDir = () => mkdtempSync(join(tmpdir(), "kw-locks-"));

describe("FileLockProvider", () => {
  it("refuses a second holder naming the first, and lets it in after release", async () => {
    const locks = new FileLockProvider(tempDir());
    const first = await locks.acquire("journal:a", { purpose: "apply plan p1" });
    const refused = await locks.acquire("journal:a").catch((error: unknown) => error);
    expect(CoreError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ code: "KW_CORE_E0010", category: "conflict" });
    expect((refused as Error).message).toContain(`pid ${process.pid} on ${hostname()}`);
    expect((refused as Error).message).toContain("apply plan p1");
    await first.release();
    const second = await locks.acquire("journal:a");
    await second.release();
  });

  it("excludes another process on the same machine", async () => {
    const directory = tempDir();
    const locks = new FileLockProvider(directory);
    const held = await locks.acquire(vaultLockName("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/KV"));
    const script = `
      import { FileLockProvider, vaultLockName } from ${JSON.stringify(new URL("../index.ts", import.meta.url).pathname)};
      const locks = new FileLockProvider(${JSON.stringify(directory)});
      try { await locks.acquire(vaultLockName("/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv")); console.log("acquired"); }
      catch (error) { console.log(error.code); }
    `;
    const child = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
    expect(child.stdout.trim()).toBe("KW_CORE_E0010");
    await held.release();
    const after = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
    expect(after.stdout.trim()).toBe("acquired");
  });

  it("takes over a lock whose process is gone", async () => {
    const directory = tempDir();
    const locks = new FileLockProvider(directory);
    const { stdout } = await run(process.execPath, ["-e", "console.log(process.pid)"]);
    const deadPid = Number(stdout.trim());
    writeFileSync(locks.pathOf("journal:x"), JSON.stringify({ name: "journal:x", id: "dead", host: hostname(), pid: deadPid, acquiredAt: "2026-01-01T00:00:00Z" }));
    const lock = await locks.acquire("journal:x");
    expect(lock.holder.pid).toBe(process.pid);
    await lock.release();
    expect(readdirSync(directory)).toEqual([]);
  });

  it("waits for a holder when asked to", async () => {
    const locks = new FileLockProvider(tempDir());
    const first = await locks.acquire("vault:v");
    setTimeout(() => void first.release(), 50);
    const second = await locks.acquire("vault:v", { waitInMs: 5000, pollIntervalInMs: 10 });
    await second.release();
  });

  it("hashes names so a name is never a path", () => {
    const locks = new FileLockProvider("/tmp/x");
    expect(locks.pathOf("../../etc/passwd")).toMatch(/^\/tmp\/x\/[0-9a-f]{32}\.lock$/);
  });
});

describe("InMemoryLockProvider", () => {
  it("serialises work under one name", async () => {
    const clock = createManualClock(0);
    const locks = new InMemoryLockProvider({ clock });
    const order: string[] = [];
    const first = withLock(locks, "vault:v", async () => {
      order.push("first:start");
      await clock.sleep(100);
      order.push("first:end");
    });
    const second = withLock(locks, "vault:v", () => Promise.resolve(void order.push("second")), { waitInMs: 1000, pollIntervalInMs: 10 });
    while (await clock.advanceToNextSleep());
    await Promise.all([first, second]);
    expect(order).toEqual(["first:start", "first:end", "second"]);
  });
});
