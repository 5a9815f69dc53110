import { KeywardenError } from "@keywarden/alerts";
import type { EvidenceSource } from "../source-report.js";
import { TriageErrorCodes } from "./triage-error-codes.js";

/** A context provider failed in strict mode. The upstream error (e.g. an Azure `RestError`) is the `cause`. */
export class TriageLookupError extends KeywardenError {
  readonly source: EvidenceSource;
  readonly evidence: string;

  constructor(source: EvidenceSource, evidence: string, message: string, cause: unknown) {
    super(TriageErrorCodes.LookupFailed, message, { cause });
    this.name = "TriageLookupError";
    this.source = source;
    this.evidence = evidence;
  }
}
