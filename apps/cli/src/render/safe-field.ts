import { terminalSafe } from "@keywarden/core/text";

/**
 * Outside text (an alert's or a tenant's: names, ids, messages, paths) as one field on a terminal line: escape
 * sequences, bidi overrides and line breaks are shown (`\x1b`, `\u202e`, `\x0a`), never acted on. Every renderer of
 * the CLI passes each outside value through it before colouring, so colours stay the CLI's own.
 */
export function safeField(text: string): string {
  return terminalSafe(text, { singleLine: true });
}
