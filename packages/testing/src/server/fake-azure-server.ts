import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { createFakeAzure, type FakeAzure, type FakeAzureOptions } from "../create-fake-azure.js";
import { getScenario } from "../scenarios.js";
import { FakeAzureError } from "../errors/fake-azure-error.js";
import { pipelineRequestOf, requestOf, sendThroughTenant, writePipelineResponse, writeResponse } from "./node-http-bridge.js";
import { isLoginHost, isServedHost, normalizeHost, SERVED_HOST_NAMES } from "./served-hosts.js";
import { FakeAzureLoopbackAgent } from "./loopback-agent.js";
import { createServerCertificates } from "./server-certificates.js";
import { handleLoginRequest } from "./token-endpoint.js";

const README_SECTION = 'the "Server mode" section of the @keywarden/testing README';

/** Options of `startFakeAzureServer`: the tenant to serve and where to listen. */
export interface FakeAzureServerOptions {
  /** A tenant of your own to serve (you keep arranging and asserting on it). Default: a new one from the options below. */
  tenant?: FakeAzure;
  /** The new tenant's options (`seed`, `profile`, `throttling`, ...), when no `tenant` is given. */
  tenantOptions?: FakeAzureOptions;
  /** Start from a named scenario of `@keywarden/testing/scenarios` instead of `tenantOptions.seed`. */
  scenario?: string;
  /** The loopback address both listeners bind (127.x.x.x, `::1` or `localhost`; others are refused). Default `127.0.0.1`. */
  host?: string;
  /** The HTTPS port (443 for a hosts-file mapping). Default 0: any free port. */
  port?: number;
  /** The `HTTPS_PROXY` (CONNECT) listener's port, or `false` for none. Default 0: any free port. */
  proxyPort?: number | false;
}

/** A running fake Azure server. */
export interface FakeAzureServer {
  /** The tenant being served: the same object tests arrange and assert on. */
  readonly tenant: FakeAzure;
  /** The address both listeners are bound to. */
  readonly host: string;
  /** The HTTPS port: connect to it with the real host name as SNI and Host (a hosts-file mapping). */
  readonly port: number;
  /** The CONNECT proxy's port (`HTTPS_PROXY=http://{host}:{proxyPort}`), or `undefined` without one. */
  readonly proxyPort: number | undefined;
  /** `http://{host}:{proxyPort}`, or `undefined` without a proxy listener. */
  readonly proxyUrl: string | undefined;
  /** The PEM of the certificate authority the server's certificate chains to: the one thing a client must trust. */
  readonly caPem: string;
  /**
   * For Node clients in this process: an `https.Agent` that connects every served host to this server and trusts
   * its CA (a hosts mapping without a hosts file). `new SecretClient(url, credential, { agent: server.agent })`.
   */
  readonly agent: FakeAzureLoopbackAgent;
  /** The host names served (`*.vault.azure.net` for every vault). */
  readonly hostNames: readonly string[];
  /** Stops both listeners and ends every open connection. */
  close(): Promise<void>;
}

function served(request: IncomingMessage): string | undefined {
  const host = normalizeHost(request.headers.host) ?? normalizeHost((request.socket as Socket & { servername?: string }).servername);
  return host !== undefined && isServedHost(host) ? host : undefined;
}

function misdirected(out: ServerResponse, what: string): void {
  const body = JSON.stringify({
    error: {
      code: "FakeAzureUnservedHost",
      message: `The fake Azure server does not serve ${what}. It answers for ${SERVED_HOST_NAMES.join(", ")}; see ${README_SECTION}.`,
    },
  });
  out.writeHead(421, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  out.end(body);
}

function listen(server: HttpServer | HttpsServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => reject(error);
    server.once("error", failed);
    server.listen(port, host, () => {
      server.removeListener("error", failed);
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });
}

function closeServer(server: HttpServer | HttpsServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function isLoopback(host: string): boolean {
  const address = host.toLowerCase();
  return address === "localhost" || address === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/u.test(address);
}

function tenantOf(options: FakeAzureServerOptions): FakeAzure {
  if (options.tenant !== undefined) {
    if (options.scenario !== undefined || options.tenantOptions !== undefined) {
      throw new FakeAzureError("KW_TESTING_E0005", "Pass either a tenant or the options of a new one (tenantOptions, scenario) to startFakeAzureServer, not both.");
    }
    return options.tenant;
  }
  if (options.scenario !== undefined && options.tenantOptions?.seed !== undefined) {
    throw new FakeAzureError("KW_TESTING_E0005", "Pass either a scenario or a seed to startFakeAzureServer, not both.");
  }
  const seed = options.scenario === undefined ? options.tenantOptions?.seed : getScenario(options.scenario);
  return createFakeAzure({ ...options.tenantOptions, ...(seed === undefined ? {} : { seed }) });
}

/**
 * Serves a fake Azure tenant over HTTPS on loopback, for SDKs in any language: ARM (`management.azure.com`), every
 * vault (`*.vault.azure.net`), Microsoft Graph, the Log Analytics query API and Entra ID's token endpoint, told apart
 * by the Host header. Requests go through the tenant's own dispatch (gate, throttling, faults, call log), exactly as
 * with msw or `tenant.httpClient`. A new certificate authority and server certificate are made at every start;
 * clients trust `caPem`. Reach it either with a hosts mapping (the real host names resolve to `host`, port 443) or
 * through the CONNECT proxy (`HTTPS_PROXY=proxyUrl`), which tunnels the served hosts to the HTTPS server and refuses
 * every other host (never the network).
 */
export async function startFakeAzureServer(options: FakeAzureServerOptions = {}): Promise<FakeAzureServer> {
  const bindHost = options.host ?? "127.0.0.1";
  if (!isLoopback(bindHost)) {
    // The fake has no real authentication (any client secret passes): it must never be reachable from a network.
    throw new FakeAzureError("KW_TESTING_E0005", `The fake Azure server listens on loopback only, not ${JSON.stringify(bindHost)}: pass a 127.x.x.x address, ::1 or localhost as host.`);
  }
  const tenant = tenantOf(options);
  const certificates = await createServerCertificates({ hostNames: SERVED_HOST_NAMES, ipAddresses: ["127.0.0.1"], now: new Date() });
  const sockets = new Set<Duplex>();
  const track = (socket: Duplex): void => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };

  const answer = async (message: IncomingMessage, out: ServerResponse): Promise<void> => {
    const host = served(message);
    if (host === undefined) {
      misdirected(out, `the host ${JSON.stringify(message.headers.host ?? "")}`);
      return;
    }
    if (isLoginHost(host)) {
      await writeResponse(await handleLoginRequest(tenant.context, await requestOf(message, host)), out, message.method ?? "GET");
      return;
    }
    // The tenant's own fast path (the dispatch `tenant.httpClient` uses): no fetch Request or Response is built.
    const response = await sendThroughTenant(tenant, await pipelineRequestOf(message, host));
    if (response === "reset") {
      // An injected connection reset (tenant.faults): the client sees the socket die, as with a real one.
      message.socket.destroy();
      return;
    }
    writePipelineResponse(response, out, message.method ?? "GET");
  };

  const https = createHttpsServer({ key: certificates.keyPem, cert: certificates.certPem, keepAliveTimeout: 30_000 }, (message, out) => {
    answer(message, out).catch((error: unknown) => {
      if (out.headersSent) {
        out.destroy();
        return;
      }
      const body = JSON.stringify({
        error: { code: "FakeAzureServerError", message: `The fake Azure server failed to answer: ${error instanceof Error ? error.message : String(error)}` },
      });
      out.writeHead(500, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      out.end(body);
    });
  });
  https.on("connection", track);
  const port = await listen(https, options.port ?? 0, bindHost);

  let proxy: HttpServer | undefined;
  let proxyPort: number | undefined;
  if (options.proxyPort !== false) {
    proxy = createHttpServer((message, out) => {
      // Plain-HTTP proxying (absolute-form GETs) would be the network: only CONNECT tunnels are served.
      const body = `The fake Azure proxy only tunnels HTTPS (CONNECT) to ${SERVED_HOST_NAMES.join(", ")}; it does not forward ${JSON.stringify(`${message.method ?? ""} ${message.url ?? ""}`)}. See ${README_SECTION}.\n`;
      out.writeHead(405, { "content-type": "text/plain; charset=utf-8", allow: "CONNECT", "content-length": Buffer.byteLength(body) });
      out.end(body);
    });
    proxy.on("connection", track);
    proxy.on("connect", (message: IncomingMessage, socket: Duplex, head: Buffer) => {
      const target = /^([^:[\]]+):(\d+)$/u.exec(message.url ?? "");
      const host = normalizeHost(target?.[1]);
      if (host === undefined || target?.[2] !== "443" || !isServedHost(host)) {
        const reason = `The fake Azure proxy does not tunnel to ${JSON.stringify(message.url ?? "")}: it serves ${SERVED_HOST_NAMES.join(", ")} on port 443 only and never connects to the network. See ${README_SECTION}.`;
        socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(reason)}\r\nconnection: close\r\n\r\n${reason}`);
        return;
      }
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) socket.unshift(head);
      // The tunnel is the HTTPS server itself: TLS (with the client's SNI) runs on this socket, no second hop.
      https.emit("connection", socket);
    });
    try {
      proxyPort = await listen(proxy, options.proxyPort ?? 0, bindHost);
    } catch (error) {
      // Never leave the HTTPS listener running behind a failed start (a proxy port already in use, say).
      await closeServer(https);
      throw error;
    }
  }

  const agent = new FakeAzureLoopbackAgent({ host: bindHost, port, caPem: certificates.caPem });
  let closing: Promise<void> | undefined;
  return {
    agent,
    tenant,
    host: bindHost,
    port,
    proxyPort,
    proxyUrl: proxyPort === undefined ? undefined : `http://${bindHost.includes(":") ? `[${bindHost}]` : bindHost}:${proxyPort}`,
    caPem: certificates.caPem,
    hostNames: SERVED_HOST_NAMES,
    close() {
      closing ??= (async () => {
        agent.destroy();
        const stopped = [closeServer(https), ...(proxy === undefined ? [] : [closeServer(proxy)])];
        for (const socket of sockets) socket.destroy();
        await Promise.all(stopped);
      })();
      return closing;
    },
  };
}
