import type { Output } from "./output.js";

/** A progress indicator; every method is a no-op when progress is not shown. */
export interface Progress {
  /** Sets the total (when known) and the current count. */
  update(current: number, total?: number, label?: string): void;
  increment(label?: string): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, increment: () => undefined, stop: () => undefined };

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
      format: total > 0 ? `${title} {bar} {value}/{total} {label}` : `${title} {value} {label}`,
      stream: output.streams.stderr,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { label: "" });
  let current = 0;
  return {
    update(value, newTotal, label) {
      current = value;
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(value, { label: label ?? "" });
    },
    increment(label) {
      current += 1;
      bar.update(current, { label: label ?? "" });
    },
    stop() {
      bar.stop();
    },
  };
}
