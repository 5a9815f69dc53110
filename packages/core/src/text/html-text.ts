import { terminalSafe } from "./terminal-text.js";

const ENTITIES: ReadonlyMap<string, string> = new Map([
  ["&", "&amp;"],
  ["<", "&lt;"],
  [">", "&gt;"],
  ['"', "&quot;"],
  ["'", "&#39;"],
]);

/**
 * Text from outside (an alert, a directory, a tag) made safe to put into HTML text or a quoted attribute value:
 * control, ANSI and bidi characters are shown as visible escapes (as {@link terminalSafe}) and `& < > " '` become
 * entities, so the text can neither open an element nor leave its attribute. Line breaks are kept unless `singleLine`.
 */
export function htmlSafe(text: string, options: { singleLine?: boolean } = {}): string {
  return terminalSafe(text, options).replace(/[&<>"']/g, (character) => ENTITIES.get(character) ?? character);
}
