import { type GlobalOptions } from "./global-options.js";
import { Output, type OutputStreams } from "./output.js";

/** What every command receives: the resolved global options and the output channel. */
export interface CommandContext {
  readonly globals: GlobalOptions;
  readonly output: Output;
  readonly streams: OutputStreams;
  readonly env: NodeJS.ProcessEnv;
  /** The working directory relative paths (plan files, the sandbox state) are resolved against. */
  readonly cwd: string;
}

export function createCommandContext(globals: GlobalOptions, streams: OutputStreams, env: NodeJS.ProcessEnv, cwd: string): CommandContext {
  return { globals, output: new Output(globals, streams, env), streams, env, cwd };
}
