/**
 * `@keywarden/core/text`: the output escaping helpers alone, with no dependency, for programs that must start fast
 * (the CLI's `--help` path prints through them and must not load the Azure pipeline the main entry brings).
 * The same functions are exported from `@keywarden/core`.
 */
export { htmlSafe } from "./text/html-text.js";
export { markdownCode, markdownSafe } from "./text/markdown-text.js";
export { terminalSafe, terminalSafeLines } from "./text/terminal-text.js";
