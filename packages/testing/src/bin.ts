#!/usr/bin/env node
/** `keywarden-fake-azure`: the fake Azure tenant as an HTTPS server (see `runFakeAzureCli`). */
import { runFakeAzureCli } from "./server/cli.js";

/** Shutdown ends every connection, so it is quick; past this something hangs and the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;

const stopRequested = (): Promise<string> =>
  new Promise((resolve) => {
    let stopping = false;
    // Later signals (a second Ctrl-C, or `timeout` passing on the one the group already got) must not kill the
    // process halfway through writing --state-out: the listener stays, and only the first signal counts.
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      setTimeout(() => {
        process.stderr.write("keywarden-fake-azure: shutdown took too long; exiting.\n");
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });

runFakeAzureCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stopRequested,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`keywarden-fake-azure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
