import { terminalSafe } from "@keywarden/core/text";

import type { Output } from "./output.js";

/** A progress indicator; every method is a no-op when progress is not shown. */
export interface Progress {
  /** Sets the total (when known) and the current count. */
  update(current: number, total?: number, label?: string): void;
  increment(label?: string): void;
  /**
   * Removes the bar from the terminal and stops redrawing it until {@link resume}: while a question is on the screen
   * the bar must not be drawn over it (cli-progress redraws on a timer, at its own cursor position).
   */
  pause(): void;
  resume(): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, increment: () => undefined, pause: () => undefined, resume: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr when a person is watching (TTY, text format, not --quiet); silent otherwise, so JSON
 * output and CI logs stay clean. cli-progress is loaded only when a bar is actually drawn.
 */
export async function startProgress(output: Output, title: string, total = 0): Promise<Progress> {
  if (!output.interactive) return silent;
  const { SingleBar, Presets } = (await import("cli-progress")).default;
  const bar = new SingleBar(
    {
      // Without a known total (listing pages), a counter; with one, a bar.
      format: total > 0 ? `${terminalSafe(title, { singleLine: true })} {bar} {value}/{total} {label}` : `${terminalSafe(title, { singleLine: true })} {value} {label}`,
      stream: output.streams.stderr,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { label: "" });
  let current = 0;
  let currentTotal = total;
  let currentLabel = "";
  // Pauses nest (a note written while a question is on the screen must not bring the bar back).
  let pauses = 0;
  let stopped = false;
  const progress: Progress = {
    update(value, newTotal, label) {
      current = value;
      // Labels name steps and counts; escaped so a bar redrawn on a timer never replays an escape sequence.
      currentLabel = terminalSafe(label ?? "", { singleLine: true });
      if (newTotal !== undefined) currentTotal = newTotal;
      if (pauses > 0 || stopped) return;
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(value, { label: currentLabel });
    },
    increment(label) {
      progress.update(current + 1, undefined, label);
    },
    pause() {
      pauses += 1;
      // clearOnComplete: stop() erases the bar's line, so what follows starts on a clean line.
      if (pauses === 1 && !stopped) bar.stop();
    },
    resume() {
      if (pauses === 0) return;
      pauses -= 1;
      if (pauses === 0 && !stopped) bar.start(currentTotal, current, { label: currentLabel });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      output.attachProgress(undefined);
      if (pauses === 0) bar.stop();
    },
  };
  output.attachProgress(progress);
  return progress;
}
