import { categoryOfCode, KeywardenError } from "@keywarden/core";
import type { EvidenceSource } from "../source-report.js";
import { TriageErrorCodes } from "./triage-error-codes.js";

/** A context provider failed in strict mode. The upstream error (e.g. an Azure `RestError`) is the `cause`. */
export class TriageLookupError extends KeywardenError {
  static override readonly marker: string = "keywarden.triage.lookup";
  readonly source: EvidenceSource;
  readonly evidence: string;

  constructor(source: EvidenceSource, evidence: string, message: string, cause: unknown) {
    super(TriageErrorCodes.LookupFailed, message, { category: categoryOfCode(TriageErrorCodes, TriageErrorCodes.LookupFailed), cause });
    this.source = source;
    this.evidence = evidence;
  }
}
