import { Agent, type AgentOptions } from "node:https";
import type { Duplex } from "node:stream";
import { connect, type ConnectionOptions } from "node:tls";
import { isServedHost, normalizeHost, SERVED_HOST_NAMES } from "./served-hosts.js";

/**
 * An `https.Agent` that is a hosts mapping inside one process: every served host name connects to the fake's HTTPS
 * server (with the real name as SNI and Host), trusting only the fake's CA; any other host fails at once, so nothing
 * reaches the network. Sockets are kept alive. Give it to an Azure SDK client as `{ agent }`.
 */
export class FakeAzureLoopbackAgent extends Agent {
  readonly #address: string;
  readonly #port: number;
  constructor(target: { host: string; port: number; caPem: string }, options: AgentOptions = {}) {
    super({ keepAlive: true, ...options, ca: target.caPem });
    this.#address = target.host;
    this.#port = target.port;
  }

  /** Opens a pooled socket (how `http.Agent` opens each one): to the fake's server for a served host, else throws. */
  override createConnection(options: ConnectionOptions): Duplex {
    const host = normalizeHost(options.servername || options.host || undefined);
    if (host === undefined || !isServedHost(host)) {
      throw new Error(
        `The fake Azure loopback agent only connects to ${SERVED_HOST_NAMES.join(", ")}, not ${JSON.stringify(options.host ?? "")}: give this client another agent.`,
      );
    }
    // Returned at once: the agent queues the request on the socket until TLS is up.
    return connect({ ...options, host: this.#address, port: this.#port, servername: host });
  }
}
