import { defineErrorCodes } from "@keywarden/core";
/** Stable codes for errors and report entries of `@keywarden/triage` (see docs/error-codes.md). */
export const TriageErrorCodes = defineErrorCodes({
  /** A rule definition is invalid (id format, messages, proposed kinds). */
  InvalidRule: { code: "KW_TRIAGE_E0001", category: "invalid-input" },
  /** A rule reported a message id or an action kind its metadata does not declare. */
  RuleContractViolation: { code: "KW_TRIAGE_E0002", category: "invalid-input" },
  /** A context provider failed and the caller asked for strict mode. */
  LookupFailed: { code: "KW_TRIAGE_E0003", category: "service" },
  /** The triage policy is invalid (bad CIDR, unknown action kind). */
  InvalidPolicy: { code: "KW_TRIAGE_E0004", category: "invalid-input" },
  /** A service-tag or Tor list could not be read or parsed. */
  InvalidNetworkList: { code: "KW_TRIAGE_E0005", category: "invalid-input" },
  /** The in-memory vault inventory has no vault with that resource id. */
  VaultNotFound: { code: "KW_TRIAGE_E0006", category: "not-found" },
  /** A provider or helper was given an argument it refuses (an id that is not a GUID, an option out of range). */
  InvalidArgument: { code: "KW_TRIAGE_E0007", category: "invalid-input" },
  /** A context provider failed; the evidence it would have given is missing from the report (error attached). */
  ProviderFailed: { code: "KW_TRIAGE_W0001" },
  /** The alert does not carry a piece of evidence (no IP, a placeholder IP, no object id, a malformed id). */
  AlertEvidenceAbsent: { code: "KW_TRIAGE_W0002" },
  /** No provider is configured for a kind of evidence (directory, vault inspector, network intelligence). */
  ProviderNotConfigured: { code: "KW_TRIAGE_W0003" },
});

export type TriageErrorCode = (typeof TriageErrorCodes)[keyof typeof TriageErrorCodes];
