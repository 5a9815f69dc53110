/**
 * Text an attacker can place in an alert or a tenant (an alert's names and extended properties, an entity's UPN or
 * location, a vault tag, a directory display name, a rule name) to forge what a person reads: escape sequences that
 * clear the screen, retitle the window or make a hidden link; line breaks that start a fake `error:` line; bidi and
 * zero-width characters that reorder or hide text; and Markdown / HTML that becomes markup, a link or a script.
 * Every formatter of alert and tenant data should be run against each of them (see {@link forgedOutputProblems}).
 */
export const HOSTILE_TEXT: readonly string[] = [
  "\u001b[2J\u001b[Hcleared",
  "\u001b]0;owned\u0007title",
  "\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007",
  "\u009b31mC1 CSI",
  "ok\nerror: forged line",
  "ok\r\nerror: forged line",
  "ok\rerror: forged line",
  "ok\u2028error: forged line",
  "invoice\u202etxt.exe",
  "\u2066isolated\u2069 and zero\u200bwidth\ufeff",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "\"'><svg onload=alert(1)>",
  "[click](javascript:alert(1))",
  "![pixel](https://evil.example/p.png)",
  "**bold** _it_ `code` | cell | # heading",
  "{{DATE(2017-02-14T06:08:00Z, SHORT)}}",
  "&lt;script&gt;",
];

/** What a rendered output is read as: a terminal or plain text, Markdown (tickets, Teams cards), or an HTML page. */
export type OutputMedium = "text" | "markdown" | "html";

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
const FORMAT = /[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;
/** Markup the payloads above carry; none of it is ever produced by Keywarden's own pages. */
const MARKUP = /<\s*\/?\s*(script|img|svg)\b/iu;

/** Markdown outside code spans (inside them nothing is markup). */
function outsideCodeSpans(markdown: string): string {
  return markdown.replace(/(`+)[\s\S]*?\1/g, "");
}

/**
 * Why `output` (a formatter's result for data carrying {@link HOSTILE_TEXT}) could mislead the person who reads it,
 * or `[]`: a control character other than a line break or tab (ESC, CR, C1), a bidi or zero-width character, a line
 * forged by a payload's line break (`error: forged line` at the start of a line), and for Markdown and HTML, markup,
 * a link, an image or emphasis from a payload, or a template function (`{{DATE(...)}}`) a card renderer would run.
 */
export function forgedOutputProblems(output: string, medium: OutputMedium): string[] {
  const problems: string[] = [];
  const control = CONTROL.exec(output);
  if (control !== null) problems.push(`control character U+${control[0].codePointAt(0)?.toString(16).padStart(4, "0")} at ${control.index}`);
  const format = FORMAT.exec(output);
  if (format !== null) problems.push(`bidi, zero-width or line-separator character U+${format[0].codePointAt(0)?.toString(16).padStart(4, "0")} at ${format.index}`);
  const forged = output.split("\n").findIndex((line) => /^[\s>*#|-]*error: forged line/u.test(line));
  if (forged >= 0) problems.push(`line ${forged + 1} is forged: ${JSON.stringify(output.split("\n")[forged])}`);
  if (medium !== "text") {
    const visible = medium === "markdown" ? outsideCodeSpans(output) : output;
    const markup = MARKUP.exec(visible);
    if (markup !== null) problems.push(`markup from outside: ${JSON.stringify(markup[0])}`);
    if (medium === "markdown") {
      // Escaped, these read `\\]\\(` and `\\!\\[`: a backslash between the characters keeps them text.
      if (/\]\((?:javascript:|https:\/\/evil)/u.test(visible)) problems.push("a link from outside");
      if (/!\[pixel/u.test(visible)) problems.push("an image from outside");
      if (/\*\*bold/u.test(visible)) problems.push("emphasis from outside");
      if (/\{\{DATE\(/u.test(visible)) problems.push("a template function from outside");
    }
  }
  return problems;
}
