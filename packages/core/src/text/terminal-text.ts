/**
 * C0 and C1 control characters (ESC starts ANSI sequences that move the cursor, rewrite lines, set the window
 * title or make links), DEL, and the Unicode format characters that reorder or hide text (bidi overrides and
 * isolates, zero-width joiners, the BOM): what lets text from an alert disguise itself or the lines around it.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;
// eslint-disable-next-line no-control-regex -- as above, plus line breaks for one-line fields
const UNSAFE_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

function visible(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * Text from outside (an alert, a directory, a tag) made safe to print on a terminal or in a plain-text message:
 * every control or format character is shown as a visible escape (`\x1b`, `\u202e`) instead of acting. Line breaks
 * are kept unless `singleLine` (a field that must stay on its line, like a recipient or a subject).
 */
export function terminalSafe(text: string, options: { singleLine?: boolean } = {}): string {
  return text.replace(options.singleLine === true ? UNSAFE_OR_NEWLINE : UNSAFE, visible);
}

/**
 * Lines of a plain-text report made safe as a whole: each line through {@link terminalSafe} as a one-line field, then
 * joined with `\n`. A formatter that builds its lines from alert or tenant data escapes them here, once, so a value
 * it forgot cannot move the cursor, and a line break inside a value is shown (`\x0a`) instead of starting a line of
 * its own: the only line breaks in the result are the formatter's. Escaping is idempotent, so an already safe line
 * is unchanged.
 */
export function terminalSafeLines(lines: readonly string[]): string {
  return lines.map((line) => terminalSafe(line, { singleLine: true })).join("\n");
}
