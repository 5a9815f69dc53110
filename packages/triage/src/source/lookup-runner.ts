import { logger } from "../log.js";
import { TriageErrorCodes } from "../errors/triage-error-codes.js";
import { TriageLookupError } from "../errors/triage-lookup-error.js";
import type { LookupCache } from "../lookup-cache.js";
import type { LookupOptions } from "../providers/lookup-options.js";
import type { EvidenceSource, MissingEvidence } from "../source-report.js";
import { isAbortError, serializeError } from "./serialize-error.js";

export type LookupResult<T> = { ok: true; value: T } | { ok: false };

/**
 * Runs provider lookups for one alert: through the run's cache, recording each failure as missing evidence (or
 * throwing it in strict mode). Cancellation is never swallowed.
 */
export class LookupRunner {
  readonly missing: MissingEvidence[] = [];
  readonly #cache: LookupCache;
  readonly #strict: boolean;
  readonly #options: LookupOptions;

  constructor(cache: LookupCache, strict: boolean, abortSignal: AbortSignal | undefined) {
    this.#cache = cache;
    this.#strict = strict;
    this.#options = abortSignal === undefined ? {} : { abortSignal };
  }

  async run<T>(
    source: EvidenceSource,
    evidence: string,
    cacheKey: string,
    what: string,
    lookup: (options: LookupOptions) => Promise<T>,
  ): Promise<LookupResult<T>> {
    try {
      return { ok: true, value: await this.#cache.getOrCreate(cacheKey, () => lookup(this.#options)) };
    } catch (error) {
      if (isAbortError(error)) throw error;
      const serialized = serializeError(error);
      const status = serialized.status === undefined ? "" : ` (HTTP ${serialized.status})`;
      const message = `${what} failed${status}: ${serialized.message}`;
      if (this.#strict) throw new TriageLookupError(source, evidence, `${message}. Strict mode stops at the first missing evidence; drop \`strict\` to get a report that names it instead.`, error);
      logger.warning(`${TriageErrorCodes.ProviderFailed} ${evidence}: ${message}`);
      this.missing.push({ code: TriageErrorCodes.ProviderFailed, evidence, source, message, error: serialized });
      return { ok: false };
    }
  }

  /** Records evidence that is missing because the alert did not carry it or no provider was configured. */
  note(source: EvidenceSource, evidence: string, message: string): void {
    const code = source === "alert" ? TriageErrorCodes.AlertEvidenceAbsent : TriageErrorCodes.ProviderNotConfigured;
    this.missing.push({ code, evidence, source, message });
  }
}
