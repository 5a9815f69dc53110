import type { CommandContext } from "./command-context.js";
import { ExitCode } from "./exit-code.js";

export interface InterruptHandle {
  /** Aborted on the first Ctrl-C: executors stop after the step in flight, with the journal intact. */
  readonly signal: AbortSignal;
  readonly interrupted: boolean;
  dispose(): void;
}

/**
 * Ctrl-C handling for commands that write: the first SIGINT (or SIGTERM) asks the executor to stop after the current
 * step, so nothing is left half-done and the journal stays consistent; a second one exits at once.
 */
export function onInterrupt(context: CommandContext): InterruptHandle {
  const controller = new AbortController();
  let interrupted = false;
  const handler = (): void => {
    if (interrupted) {
      context.output.warn("Interrupted again: exiting now. The journal holds every finished step; apply again to resume.");
      process.exit(ExitCode.Interrupted);
    }
    interrupted = true;
    context.output.warn("Interrupted: stopping after the current step (Ctrl-C again to exit at once).");
    controller.abort(new Error("Interrupted by the user (Ctrl-C)."));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    get interrupted() {
      return interrupted;
    },
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
