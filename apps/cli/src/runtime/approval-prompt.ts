import { createInterface } from "node:readline/promises";

import type { Output } from "./output.js";

export type ApprovalAnswer = "yes" | "no" | "all" | "quit";

/**
 * Asks one approval question on the terminal (stderr, so stdout keeps only the result). Answers: y(es), n(o),
 * a(ll: approve this and every later step), q(uit: deny this and every later step). Anything else asks again.
 */
export async function askApproval(output: Output, question: string, signal?: AbortSignal): Promise<ApprovalAnswer> {
  const rl = createInterface({ input: output.streams.stdin, output: output.streams.stderr, terminal: true });
  try {
    for (;;) {
      const answer = (await rl.question(`${question} ${output.errColors.dim("[y]es / [n]o / [a]ll / [q]uit")} `, signal === undefined ? {} : { signal }))
        .trim()
        .toLowerCase();
      if (answer === "y" || answer === "yes") return "yes";
      if (answer === "n" || answer === "no" || answer === "") return "no";
      if (answer === "a" || answer === "all") return "all";
      if (answer === "q" || answer === "quit") return "quit";
    }
  } catch (error) {
    // Ctrl-C or a closed stdin while asking: the safe answer is no.
    if (signal?.aborted === true || (error as NodeJS.ErrnoException).code === "ABORT_ERR") return "quit";
    throw error;
  } finally {
    rl.close();
  }
}
