import { terminalSafe } from "./terminal-text.js";

/** Characters with a meaning in CommonMark/GFM inline or block syntax (emphasis, links, code, tables, headings, lists, quotes). */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|~]/g;

/**
 * Text from outside (an alert, a directory, a tag) made safe to put into Markdown: control, ANSI and bidi characters
 * are shown as visible escapes (as {@link terminalSafe}), every Markdown punctuation character is backslash-escaped so
 * the text cannot open a link, an image, code, a heading or a table cell, and `&`, `<`, `>` become entities so a
 * renderer never sees raw HTML (`<script>`, `<img onerror>`). Line breaks are kept unless `singleLine` (a table cell,
 * a heading, a list item: there a newline would start a new block).
 */
export function markdownSafe(text: string, options: { singleLine?: boolean } = {}): string {
  return terminalSafe(text, options)
    .replace(MARKDOWN_SPECIAL, (character) => `\\${character}`)
    .replace(/[&<>]/g, (character) => (character === "&" ? "&amp;" : character === "<" ? "&lt;" : "&gt;"));
}

/**
 * Text from outside as Markdown inline code (`` `kv-prod` ``): control characters escaped, kept on one line, and
 * fenced with more backticks than it contains, so it can never close its own span. Inside code spans entities are
 * not decoded, so `<` and `&` are shown as they are and never act as HTML.
 */
export function markdownCode(text: string): string {
  const safe = terminalSafe(text, { singleLine: true });
  const longest = Math.max(0, ...[...safe.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = safe.startsWith("`") || safe.endsWith("`") || safe.trim() === "" ? " " : "";
  return `${fence}${pad}${safe}${pad}${fence}`;
}
