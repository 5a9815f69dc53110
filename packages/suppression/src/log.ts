import { createClientLogger } from "@azure/logger";
import { terminalSafe } from "@keywarden/core";
import { packageVersion } from "./version.js";

/** The package's logger (`AZURE_LOG_LEVEL=info` shows each Azure call, `verbose` each decision). */
export const logger = createClientLogger("keywarden-suppression");

/** The user agent suppression's clients send (`keywarden-suppression/<version>`), after the caller's own prefix. */
export const userAgent = { packageName: "suppression", packageVersion } as const;

/**
 * Text from an alert, a rules file or the subscription, made fit for one log line: alert ids, types and entity values
 * are attacker-influenced, and a newline or escape sequence in them must not forge or hide a line.
 */
export const safe = (text: string): string => terminalSafe(text, { singleLine: true });

/** Lines per rule and kind of decision: a preview over thousands of alerts logs the first ones and a count of the rest. */
export const maxDecisionLinesPerKind = 50;
