import { terminalSafe } from "@keywarden/core/text";
import pc from "picocolors";

import type { GlobalOptions } from "./global-options.js";

/** The colour functions of picocolors; identity functions when colour is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/** The streams an {@link Output} writes to; a test or an embedding tool can pass its own. */
export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/**
 * Everything a command prints goes through here, so the rules hold everywhere:
 * - stdout carries the result only: text for people, or exactly one JSON document with `--format json`;
 * - progress, notes, warnings and prompts go to stderr;
 * - colours only when the stream is a TTY (and neither `--no-color` nor `NO_COLOR` says otherwise);
 * - `--quiet` silences notes, `--verbose` adds detail;
 * - notes, warnings, errors and detail are escaped (`terminalSafe`) before they are coloured: a vault name, a path or
 *   an upstream error message cannot move the cursor, and a warning or an error stays on its one line. A result's
 *   text, and {@link noteRendered}, come from renderers that escape every outside value themselves (they colour).
 */
export class Output {
  readonly format: "text" | "json";
  readonly verbose: boolean;
  readonly quiet: boolean;
  /** Colours for stdout (the result). */
  readonly colors: Colors;
  /** Colours for stderr (notes, warnings, errors). */
  readonly errColors: Colors;
  readonly streams: OutputStreams;
  private resultWritten = false;
  /** A progress bar on stderr: taken off the screen around every line written there, so no line lands on it. */
  private progress: { pause(): void; resume(): void } | undefined;

  constructor(options: Pick<GlobalOptions, "format" | "verbose" | "quiet" | "color">, streams: OutputStreams, env: NodeJS.ProcessEnv = process.env) {
    this.format = options.format;
    this.verbose = options.verbose;
    this.quiet = options.quiet;
    this.streams = streams;
    const allowed = options.color !== false && !env["NO_COLOR"] && env["FORCE_COLOR"] !== "0";
    const forced = env["FORCE_COLOR"] !== undefined && env["FORCE_COLOR"] !== "0";
    this.colors = pc.createColors(forced || (allowed && this.format === "text" && streams.stdout.isTTY === true));
    this.errColors = pc.createColors(forced || (allowed && streams.stderr.isTTY === true));
  }

  /** True when a person is watching stderr and machine output is not requested: progress bars may be drawn. */
  get interactive(): boolean {
    return this.format === "text" && this.streams.stderr.isTTY === true && !this.quiet;
  }

  /** True when approval questions can be asked: both stdin and stderr are terminals. */
  get canPrompt(): boolean {
    return this.streams.stdin.isTTY === true && this.streams.stderr.isTTY === true;
  }

  /**
   * Writes the command's result: `data` as one JSON document with `--format json`, otherwise `text(colors)`.
   * A command writes its result once; a second call is a bug, because JSON consumers expect one document.
   */
  result(data: unknown, text: (colors: Colors) => string): void {
    if (this.resultWritten) throw new Error("Output.result() called twice: a command has exactly one result.");
    this.resultWritten = true;
    if (this.format === "json") {
      this.streams.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    } else {
      const rendered = text(this.colors);
      if (rendered.length > 0) this.streams.stdout.write(rendered.endsWith("\n") ? rendered : `${rendered}\n`);
    }
  }

  /** Whether {@link result} was already called (the error handler then leaves stdout alone). */
  get hasResult(): boolean {
    return this.resultWritten;
  }

  /** Registers the progress bar being drawn on stderr (or none), see {@link progress}. */
  attachProgress(progress: { pause(): void; resume(): void } | undefined): void {
    this.progress = progress;
  }

  /** Writes whole lines to stderr with the progress bar (if any) off the screen, then draws it again below them. */
  private writeErr(text: string): void {
    const progress = this.progress;
    progress?.pause();
    this.streams.stderr.write(text);
    progress?.resume();
  }

  /** A note for people, on stderr; silent with `--quiet`. Escaped; its own line breaks are kept. */
  note(message: string): void {
    if (!this.quiet) this.writeErr(`${terminalSafe(message)}\n`);
  }

  /**
   * A note already rendered for the terminal, with colours: every outside value in it was escaped by the renderer
   * that made it (`formatPlan`, `taskText`, a `terminalSafe` field). Silent with `--quiet`.
   */
  noteRendered(text: string): void {
    if (!this.quiet) this.writeErr(`${text}\n`);
  }

  /** A warning on stderr, on one line; shown even with `--quiet`, because it changes what the result means. */
  warn(message: string): void {
    this.writeErr(`${this.errColors.yellow("warning:")} ${terminalSafe(message, { singleLine: true })}\n`);
  }

  /** Detail for `--verbose` only, on stderr, on one line. */
  debug(message: string): void {
    if (this.verbose) this.writeErr(`${this.errColors.dim(terminalSafe(message, { singleLine: true }))}\n`);
  }

  /** The one-line error (and the stack with `--verbose`) on stderr. */
  error(message: string, detail?: string): void {
    this.writeErr(`${this.errColors.red("error:")} ${terminalSafe(message, { singleLine: true })}\n`);
    if (detail !== undefined && this.verbose) this.writeErr(`${this.errColors.dim(terminalSafe(detail))}\n`);
  }
}
