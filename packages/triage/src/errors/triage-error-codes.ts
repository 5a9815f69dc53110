/** Stable codes for errors and report entries of `@keywarden/triage` (see docs/error-codes.md). */
export const TriageErrorCodes = {
  /** A rule definition is invalid (id format, messages, proposed kinds). */
  InvalidRule: "KW_TRIAGE_E0001",
  /** A rule reported a message id or an action kind its metadata does not declare. */
  RuleContractViolation: "KW_TRIAGE_E0002",
  /** A context provider failed and the caller asked for strict mode. */
  LookupFailed: "KW_TRIAGE_E0003",
  /** The triage policy is invalid (bad CIDR, unknown action kind). */
  InvalidPolicy: "KW_TRIAGE_E0004",
  /** A service-tag or Tor list could not be read or parsed. */
  InvalidNetworkList: "KW_TRIAGE_E0005",
  /** The in-memory vault inventory has no vault with that resource id. */
  VaultNotFound: "KW_TRIAGE_E0006",
  /** A context provider failed; the evidence it would have given is missing from the report (error attached). */
  ProviderFailed: "KW_TRIAGE_W0001",
  /** The alert does not carry a piece of evidence (no IP, a placeholder IP, no object id, a malformed id). */
  AlertEvidenceAbsent: "KW_TRIAGE_W0002",
  /** No provider is configured for a kind of evidence (directory, vault inspector, network intelligence). */
  ProviderNotConfigured: "KW_TRIAGE_W0003",
} as const;

export type TriageErrorCode = (typeof TriageErrorCodes)[keyof typeof TriageErrorCodes];
