import type { KeyVaultAlert } from "@keywarden/alerts";
import type { JournalEntry } from "@keywarden/core";

import type { IncidentRecord, IncidentSummary, StepRecord } from "../store/store-types.js";
import { incidentStates } from "../store/store-types.js";
import { html, type SafeHtml } from "./html.js";

const time = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");

export interface ListPageInput {
  incidents: readonly IncidentSummary[];
  filter: { state?: string; vault?: string; text?: string };
}

/** The incident list: filters as a plain GET form, one table row per incident, links as the keyboard path. */
export function incidentListBody(input: ListPageInput): SafeHtml {
  const { filter } = input;
  return html`<h1>Incidents</h1>
<form class="filters" method="get" action="/" role="search" aria-label="Filter incidents">
  <div><label for="f-state">State</label>
  <select id="f-state" name="state"><option value="">any</option>${incidentStates.map(
    (state) => html`<option value="${state}"${state === filter.state ? html` selected` : ""}>${state}</option>`,
  )}</select></div>
  <div><label for="f-vault">Vault</label><input id="f-vault" type="text" name="vault" value="${filter.vault}"></div>
  <div><label for="f-text">Text</label><input id="f-text" type="text" name="q" value="${filter.text}"></div>
  <div><button type="submit">Filter</button></div>
</form>
${
  input.incidents.length === 0
    ? html`<p class="muted">No incidents${filter.state || filter.vault || filter.text ? " match these filters" : " yet"}.</p>`
    : html`<table aria-label="Incidents">
<thead><tr><th scope="col">Received</th><th scope="col">Alert</th><th scope="col">Vault</th><th scope="col">Severity</th><th scope="col">State</th><th scope="col">Waiting for approval</th></tr></thead>
<tbody>${input.incidents.map(
        (incident) => html`<tr>
<td>${time(incident.receivedAt)}</td>
<td><a href="/ui/incidents/${encodeURIComponent(incident.id)}">${incident.displayName}</a><br><small class="muted">${incident.kind}</small></td>
<td>${incident.vaultName}</td><td>${incident.severity}</td>
<td><span class="state state-${incident.state}">${incident.state}</span></td>
<td>${incident.pendingApprovals > 0 ? html`<strong>${incident.pendingApprovals}</strong>` : "0"}</td>
</tr>`,
      )}</tbody></table>`
}`;
}

export interface IncidentPageInput {
  incident: IncidentRecord;
  journal: readonly JournalEntry[];
  /** The step rendered as the engine's text (what `formatPlan` prints), per step id. */
  stepText: ReadonlyMap<string, string>;
  canDecide: boolean;
  canRollback: boolean;
  /** Steps this person may not decide (they are its target). */
  selfTargeted: ReadonlySet<string>;
  csrfToken: string;
  notice?: string;
  /** The triage and impact reports as the libraries format them. */
  triageText?: string;
  impactText?: string;
}

function diffLines(text: string): SafeHtml {
  const lines = text.split("\n");
  return html`${lines.map((line, index) => {
    const trimmed = line.trim();
    const cls =
      index === 0
        ? "head"
        : /^(firewall|access policy|add|rotate|enable)\b|→/.test(trimmed)
          ? "plus"
          : /^(disable|delete|purge|revoke|remove|take away|cut off|Entra ID: revoke)\b/.test(trimmed) || /take away|revoke/.test(trimmed)
            ? "minus"
            : "";
    const sign = cls === "plus" ? "+ " : cls === "minus" ? "- " : "  ";
    return html`<span class="${cls}">${index === 0 ? "" : sign}${line}</span>\n`;
  })}`;
}

function stepSection(step: StepRecord, input: IncidentPageInput): SafeHtml {
  const text = input.stepText.get(step.id) ?? step.id;
  const incidentId = encodeURIComponent(input.incident.id);
  const stepId = encodeURIComponent(step.id);
  const self = input.selfTargeted.has(step.id);
  const decision = step.decision;
  return html`<section class="step" id="step-${step.id}" aria-labelledby="step-${step.id}-title">
<h3 id="step-${step.id}-title">${step.id} <span class="status status-${step.status}" data-status="${step.status}">${step.status}</span>
<small class="muted">${step.kind} · ${step.risk}${step.requiresApproval ? " · needs approval" : " · automatic"}</small></h3>
<pre class="diff">${diffLines(text)}</pre>
${decision === undefined ? "" : html`<p>${decision.approved ? "Approved" : "Rejected"} by <strong>${decision.by}</strong> at ${time(decision.at)}: ${decision.reason}</p>`}
${
  step.status === "pending-approval" && input.canDecide
    ? self
      ? html`<p class="error">You are the target of this step: another approver must decide it.</p>`
      : html`<form class="decision" method="post" action="/incidents/${incidentId}/steps/${stepId}/approve">
<input type="hidden" name="_csrf" value="${input.csrfToken}">
<div><label for="reason-${step.id}">Reason</label><input id="reason-${step.id}" type="text" name="reason" required maxlength="1000" autocomplete="off"></div>
<button type="submit">Approve ${step.id}</button>
<button type="submit" formaction="/incidents/${incidentId}/steps/${stepId}/reject">Reject ${step.id}</button>
</form>`
    : ""
}
</section>`;
}

function alertFacts(incident: IncidentRecord): SafeHtml {
  const alert = (incident.alert ?? incident.pushedAlert) as Partial<KeyVaultAlert> | undefined;
  const source = alert?.source ?? {};
  const suspicious = alert?.operations?.suspicious ?? [];
  return html`<dl class="facts">
<dt>Alert</dt><dd>${alert?.displayName ?? incident.displayName} <small class="muted">(${alert?.alertType ?? incident.kind})</small></dd>
<dt>Severity</dt><dd>${incident.severity}</dd>
<dt>Status in Defender</dt><dd>${alert?.status}</dd>
<dt>Vault</dt><dd>${incident.vaultName} <small class="muted">${alert?.vault?.resourceId}</small></dd>
<dt>Time</dt><dd>${alert?.startTime} – ${alert?.endTime}</dd>
<dt>Source IP</dt><dd>${source.ipAddress ?? "unknown"} ${source.ipLocation === undefined ? "" : html`<small class="muted">${source.ipLocation}</small>`}</dd>
<dt>Principal</dt><dd>${source.userPrincipalName ?? source.objectId ?? "unknown"}${source.applicationId === undefined ? "" : html` · app ${source.applicationId}`}</dd>
<dt>Client</dt><dd>${source.clientInfo ?? "unknown"}</dd>
<dt>Suspicious operations</dt><dd>${suspicious.length === 0 ? "none listed" : suspicious.map((op) => `${op.operation} × ${op.count}`).join(", ")}</dd>
<dt>Objects named</dt><dd>${(alert?.targets ?? []).length === 0 ? "none" : html`<ul>${(alert?.targets ?? []).map((target) => html`<li>${target}</li>`)}</ul>`}</dd>
<dt>Alert id</dt><dd><small>${incident.alertId}</small></dd>
</dl>
<p>${alert?.description}</p>`;
}

function reportText(text: string | undefined, missing: string): SafeHtml {
  return text === undefined ? html`<p class="muted">${missing}</p>` : html`<pre class="report">${text}</pre>`;
}

function timeline(journal: readonly JournalEntry[]): SafeHtml {
  if (journal.length === 0) return html`<p class="muted">Nothing journaled yet.</p>`;
  return html`<ol class="timeline">${journal.map((entry) => {
    const by = entry.data !== undefined && typeof entry.data["by"] === "string" ? entry.data["by"] : undefined;
    const comment = entry.data !== undefined && typeof entry.data["comment"] === "string" ? entry.data["comment"] : undefined;
    return html`<li><time datetime="${entry.time}">${entry.time}</time> <strong>${entry.event}</strong> ${entry.stepId || "plan"}: ${entry.message}${by === undefined ? "" : html` <em>by ${by}</em>`}${comment === undefined ? "" : html` <q>${comment}</q>`} <small class="muted">${entry.code}</small></li>`;
  })}</ol>`;
}

/** The incident page: summary, evidence, impact, the plan as a diff with approve / reject, and the timeline. */
export function incidentPageBody(input: IncidentPageInput): SafeHtml {
  const { incident } = input;
  const pending = incident.steps.filter((step) => step.status === "pending-approval");
  const differences = incident.differences ?? [];
  return html`<p><a href="/">← All incidents</a></p>
<h1>${incident.displayName}</h1>
${input.notice === undefined ? "" : html`<p role="status" class="notice">${input.notice}</p>`}
<p>State <span class="state state-${incident.state}" data-state="${incident.state}">${incident.state}</span>
${pending.length > 0 ? html` · <strong>${pending.length}</strong> step(s) waiting for approval` : ""}
${incident.error === undefined ? "" : html` · <span class="error">${incident.error.code}: ${incident.error.message}</span>`}</p>
<section aria-labelledby="h-alert"><h2 id="h-alert">Alert</h2>${alertFacts(incident)}
${
  differences.length === 0
    ? ""
    : html`<h3>Pushed alert differs from Defender's copy</h3><p class="muted">The responder acts on Defender's copy.</p>
<table aria-label="Differences"><thead><tr><th scope="col">Field</th><th scope="col">Pushed</th><th scope="col">Defender</th></tr></thead>
<tbody>${differences.map((d) => html`<tr><td>${d.field}</td><td>${JSON.stringify(d.pushed)}</td><td>${JSON.stringify(d.defender)}</td></tr>`)}</tbody></table>`
}</section>
<section aria-labelledby="h-source"><h2 id="h-source">Source and evidence</h2>${reportText(input.triageText, "Not triaged yet.")}</section>
<section aria-labelledby="h-impact"><h2 id="h-impact">Impact</h2>${reportText(input.impactText, "No impact measured (no diagnostic logs, or not yet).")}</section>
<section aria-labelledby="h-plan"><h2 id="h-plan">Plan</h2>
${incident.steps.length === 0 ? html`<p class="muted">No plan yet.</p>` : incident.steps.map((step) => stepSection(step, input))}
${
  input.canRollback && incident.steps.some((step) => step.status === "applied")
    ? html`<form method="post" action="/incidents/${encodeURIComponent(incident.id)}/rollback"><input type="hidden" name="_csrf" value="${input.csrfToken}">
<div><label for="rollback-reason">Rollback reason</label><input id="rollback-reason" type="text" name="reason" required maxlength="1000"></div>
<button type="submit">Roll back what was applied</button></form>`
    : ""
}
${incident.rollback === undefined ? "" : html`<p>Rollback ${incident.rollback.status}, requested by ${incident.rollback.requestedBy}.</p>`}
</section>
<section aria-labelledby="h-journal"><h2 id="h-journal">Journal</h2>${timeline(input.journal)}</section>`;
}

export function loginBody(options: { csrfToken: string; error?: string; local: boolean; oidc: boolean; hint?: string }): SafeHtml {
  return html`<h1>Sign in</h1>
${options.error === undefined ? "" : html`<p class="error" role="alert">${options.error}</p>`}
${options.oidc ? html`<p><a href="/auth/oidc/login">Sign in with Microsoft Entra ID</a></p>` : ""}
${
  options.local
    ? html`<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${options.csrfToken}">
<div><label for="username">User name</label><input id="username" type="text" name="username" autocomplete="username" required autofocus></div>
<div><label for="password">Password</label><input id="password" type="password" name="password" autocomplete="current-password" required></div>
<p><button type="submit">Sign in</button></p>
</form>`
    : ""
}
${options.hint === undefined ? "" : html`<p class="muted">${options.hint}</p>`}`;
}

export function messageBody(title: string, message: string, back?: string): SafeHtml {
  return html`<h1>${title}</h1><p role="alert">${message}</p>${back === undefined ? "" : html`<p><a href="${back}">Back</a></p>`}`;
}
