import { CliError, CliErrorCode } from "../errors/cli-error.js";
import { findPermissionRequirement } from "@keywarden/remediation";
import { safeField as t } from "../render/safe-field.js";

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  request?: { method?: string; url?: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Walks `error` and its `cause` chain (Keywarden errors keep the Azure `RestError` as `cause`). */
function* causeChain(error: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (isRecord(current) && !seen.has(current)) {
    seen.add(current);
    yield current;
    current = current["cause"];
  }
}

/** `RemediationCodes.planKeyRefused`, spelt out: this module must not load the remediation library. */
const PLAN_KEY_REFUSED = "KW_REMEDIATION_E0026";

function findForbidden(error: unknown): RestErrorLike | undefined {
  for (const candidate of causeChain(error)) {
    const status = candidate["statusCode"] ?? (isRecord(candidate["response"]) ? candidate["response"]["status"] : undefined);
    if (status === 403) return candidate;
    const nested = candidate["error"];
    if (isRecord(nested) && nested["status"] === 403) {
      return {
        statusCode: 403,
        ...(typeof nested["code"] === "string" ? { code: nested["code"] } : {}),
        ...(typeof nested["message"] === "string" ? { message: nested["message"] } : {}),
      };
    }
  }
  return undefined;
}

/**
 * Turns a 403 from Azure (anywhere in the cause chain) into a one-line error that names the missing permission and
 * the built-in role that grants it, or the firewall that blocked the call. Returns `undefined` for anything else.
 */
export function explainAzureError(error: unknown): CliError | undefined {
  // A Key Vault plan key's refusal (KW_REMEDIATION_E0026) already names the key, Key Vault's codes and the fix; the
  // generic data-plane explanation would name the wrong permission for a sign or verify call.
  if (isRecord(error) && error["code"] === PLAN_KEY_REFUSED) return undefined;
  const forbidden = findForbidden(error);
  if (forbidden === undefined) return undefined;
  const method = forbidden.request?.method ?? "";
  const url = forbidden.request?.url ?? "";
  const where = url === "" ? "" : ` (${method} ${url.split("?")[0] ?? url})`;
  if (forbidden.code === "ForbiddenByFirewall" || /firewall/i.test(forbidden.message ?? "")) {
    return new CliError(CliErrorCode.PermissionDenied, `The Key Vault firewall refused this machine's address${where}.`, {
      cause: error,
      hint: "Run from an address the vault allows, or add it to the vault's networkAcls (the response itself may just have closed the firewall).",
    });
  }
  const requirement = method === "" || url === "" ? undefined : findPermissionRequirement(method, url);
  if (requirement === undefined) {
    return new CliError(CliErrorCode.PermissionDenied, `Azure refused the request with 403 Forbidden${where}: ${t(forbidden.message ?? "no details")}.`, {
      cause: error,
      hint: "Check the role assignments of the identity DefaultAzureCredential picked (az account show).",
    });
  }
  return new CliError(
    CliErrorCode.PermissionDenied,
    `Permission denied for ${requirement.operation}: the signed-in identity lacks ${requirement.permission}${where}.`,
    { cause: error, hint: `The least-privileged built-in role that grants it: ${requirement.role}.` },
  );
}
