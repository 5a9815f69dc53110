#!/usr/bin/env node
/** `keywarden-fake-azure`: the fake Azure tenant as an HTTPS server (see `runFakeAzureCli`). */
import { runFakeAzureCli } from "./server/cli.js";

const stopRequested = (): Promise<string> =>
  new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
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
