import { defineErrorCodes } from "@keywarden/core";
import { AlertParseError, type AlertParseErrorCode } from "../errors/alert-parse-error.js";
import { type AlertChannel, type AlertWarning } from "../key-vault-alert.js";

/** Stable codes of the entries `parseAlert` puts in `KeyVaultAlert.warnings`. */
export const alertWarningCodes = defineErrorCodes({
  /** The alert is not a Defender for Key Vault alert; `vault` describes the resource it is about. */
  notKeyVaultAlert: { code: "KW_ALERTS_W0001" },
  /** A `KV_*` alert type that is not in the catalog (Microsoft ships undocumented ones). */
  unknownAlertType: { code: "KW_ALERTS_W0002" },
  /** An enum value (severity, status, tactic) outside the documented set; a fallback was used. */
  unknownEnumValue: { code: "KW_ALERTS_W0003" },
  /** A resource id in non-canonical casing (e.g. `/SUBSCRIPTIONS/.../RESOURCEGROUPS/...`). */
  nonCanonicalResourceId: { code: "KW_ALERTS_W0004" },
  /** A timestamp with more than millisecond precision: JS `Date` drops digits, so compare the raw strings. */
  subMillisecondTime: { code: "KW_ALERTS_W0005" },
  /** A subscription id that is not a GUID (sanitised samples). */
  malformedSubscriptionId: { code: "KW_ALERTS_W0006" },
  /** A confidence field present but `null`. */
  nullConfidence: { code: "KW_ALERTS_W0007" },
  /** An entity whose `type` is missing or not a documented entity type. */
  unknownEntityType: { code: "KW_ALERTS_W0008" },
  /** A placeholder (all-zero GUID, `00.00.00.00`) treated as missing. */
  placeholderValue: { code: "KW_ALERTS_W0009" },
  /** A `$ref` to an entity `$id` that does not exist, or a reference cycle; left unresolved. */
  unresolvedReference: { code: "KW_ALERTS_W0010" },
  /** A timestamp that was not ISO 8601 UTC and was converted (US format, offset, no zone). */
  convertedTime: { code: "KW_ALERTS_W0011" },
  /** An optional field with an unexpected JSON type or unreadable content; ignored. */
  invalidOptionalField: { code: "KW_ALERTS_W0012" },
  /** A value the channel does not carry was derived (e.g. the ARM alert id from the portal link). */
  derivedValue: { code: "KW_ALERTS_W0013" },
  /** An expected field is missing; a fallback was used. */
  missingField: { code: "KW_ALERTS_W0014" },
  /** A vault name that breaks Key Vault naming rules; no `vaultUri` was derived. */
  invalidVaultName: { code: "KW_ALERTS_W0015" },
  /** The alert is in the legacy Alerts API shape (2015-06-01-preview / 2019-01-01) and was mapped to the model. */
  legacyShape: { code: "KW_ALERTS_W0016" },
});

export type AlertWarningCode = (typeof alertWarningCodes)[keyof typeof alertWarningCodes];

/** Per-alert parsing state: the channel, the JSON path of the alert in the input, and the warnings so far. */
export class ParseContext {
  readonly warnings: AlertWarning[] = [];

  constructor(
    readonly channel: AlertChannel,
    /** JSON path of the alert object, `$` or e.g. `$.value[3]`. */
    readonly base: string,
  ) {}

  /** `base + relative`, e.g. `$.value[3]` + `.properties.severity`. */
  path(relative: string): string {
    return relative === "" ? this.base : this.base + relative;
  }

  warn(code: AlertWarningCode, relativePath: string, message: string): void {
    this.warnings.push({ code, path: this.path(relativePath), message });
  }

  /** Warn once per code (for oddities that repeat in every field, like 7-digit fractions). */
  warnOnce(code: AlertWarningCode, relativePath: string, message: string): void {
    for (const warning of this.warnings) if (warning.code === code) return;
    this.warn(code, relativePath, message);
  }

  fail(code: AlertParseErrorCode, relativePath: string, message: string, cause?: unknown): never {
    throw new AlertParseError(code, message, { channel: this.channel, path: this.path(relativePath), cause });
  }
}
