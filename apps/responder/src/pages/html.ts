/**
 * Escaped HTML: every interpolated value goes through `escapeHtml` unless it is already `SafeHtml` built here.
 * Alert-derived text (names, UPNs, locations, descriptions) is outside input and never reaches a page raw.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const replacements = new Map([
  ["&", "&amp;"],
  ["<", "&lt;"],
  [">", "&gt;"],
  ['"', "&quot;"],
  ["'", "&#39;"],
  ["`", "&#96;"],
]);

/** Escapes markup characters and drops control and bidi-override characters (they can disguise text). */
export function escapeHtml(value: unknown): string {
  let text: string;
  if (value === undefined || value === null) text = "";
  else if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") text = String(value);
  else text = JSON.stringify(value) ?? "";
  return text
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[&<>"'`]/g, (char) => replacements.get(char) ?? char);
}

type Interpolated = SafeHtml | string | number | boolean | undefined | null | ReadonlyArray<SafeHtml | string | number>;

/** The tagged template: `html\`<p>${untrusted}</p>\`` escapes; nested `html` fragments and arrays of them pass. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0] ?? "";
  for (const [index, value] of values.entries()) {
    out += render(value) + (strings[index + 1] ?? "");
  }
  return new SafeHtml(out);
}

function render(value: Interpolated): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item) => render(item as Interpolated)).join("");
  if (value === false) return "";
  return escapeHtml(value);
}

export interface LayoutOptions {
  title: string;
  user?: { name: string; roles: string };
  csrfToken?: string;
  body: SafeHtml;
}

/** The page frame: skip link, header with the signed-in person, one main landmark. No script, no inline style. */
export function layout(options: LayoutOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Keywarden responder</title>
<link rel="stylesheet" href="/static/responder.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">Keywarden responder</a>
  ${
    options.user === undefined
      ? html`<a href="/login">Sign in</a>`
      : html`<span class="who">${options.user.name} <small>(${options.user.roles})</small></span>
  <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${options.csrfToken}"><button type="submit">Sign out</button></form>`
  }
</header>
<main id="main" tabindex="-1">
${options.body}
</main>
</body>
</html>`.value;
}

export const stylesheet = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; --ok: #116329; --bad: #a40e26; --warn: #7d4e00; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #30363d; --accent: #58a6ff; --ok: #3fb950; --bad: #f85149; --warn: #d29922; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; }
.top { display: flex; gap: 16px; align-items: center; padding: 8px 24px; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; text-decoration: none; margin-right: auto; }
main { padding: 16px 24px; max-width: 1200px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.inline { display: inline; }
.state, .status { font-weight: 600; padding: 0 6px; border-radius: 4px; border: 1px solid var(--line); white-space: nowrap; }
.status-applied, .state-resolved { color: var(--ok); } .status-failed, .state-failed, .status-rejected { color: var(--bad); }
.status-pending-approval, .state-awaiting-approval { color: var(--warn); }
pre.diff { padding: 8px; border: 1px solid var(--line); overflow-x: auto; white-space: pre-wrap; }
.diff .plus { color: var(--ok); } .diff .minus { color: var(--bad); } .diff .head { font-weight: 700; }
.decision { display: flex; gap: 8px; align-items: flex-end; flex-wrap: wrap; margin: 8px 0 16px; }
label { display: block; font-weight: 600; }
input[type=text], input[type=password], select { font: inherit; padding: 4px 6px; }
button { font: inherit; padding: 4px 12px; cursor: pointer; }
.error { color: var(--bad); } .muted { color: var(--muted); }
ol.timeline { list-style: none; padding-left: 0; border-left: 2px solid var(--line); }
ol.timeline li { padding: 2px 0 8px 12px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; } dl.facts dt { font-weight: 600; }
.filters { display: flex; gap: 12px; align-items: flex-end; flex-wrap: wrap; margin-bottom: 12px; }
`;
