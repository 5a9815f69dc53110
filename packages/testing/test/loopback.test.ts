import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeAzure, type FakeAzure } from "../src/index.js";
import { isLoopbackHost } from "../src/dispatch/shared-server.js";

let server: Server;
let port = 0;
let tenant: FakeAzure;

beforeAll(async () => {
  server = createServer((_request, response) => response.writeHead(200, { "content-type": "text/plain" }).end("local"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
  tenant = createFakeAzure({ onUnhandledRequest: "error-except-loopback" });
  tenant.listen();
});

afterAll(async () => {
  tenant.close();
  await new Promise((resolve) => server.close(resolve));
});

describe("onUnhandledRequest: error-except-loopback", () => {
  it("lets a request to this machine through and fails one to any other non-Azure host", async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/hook`)).text()).toBe("local");
    await expect(fetch("https://hooks.example.com/keywarden")).rejects.toThrow();
  });

  it("knows loopback names and addresses only", () => {
    expect(["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1"].map(isLoopbackHost)).toEqual([true, true, true, true, true]);
    expect(["128.0.0.1", "example.com", "localhost.example.com", "10.0.0.1"].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });
});
