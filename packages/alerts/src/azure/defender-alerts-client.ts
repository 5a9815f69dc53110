import { SecurityCenter } from "@azure/arm-security";
import { type TokenCredential } from "@azure/core-auth";
import { createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import {
  pagedIterator,
  requestTimeoutPolicy,
  retryAfterMsOf,
  retryOnThrottle,
  systemClock,
  withKeywardenUserAgent,
  type Clock,
  type KeywardenClientOptions,
  type KeywardenPagedIterator,
  type OperationOptions,
} from "@keywarden/core";
import { logger } from "../log.js";
import { packageVersion } from "../version.js";
import { AlertParseError } from "../errors/alert-parse-error.js";
import { isGuid } from "../helpers/resource-id.js";
import { type KeyVaultAlert } from "../key-vault-alert.js";
import { isObject } from "../parse/json-value.js";
import { parseAlert } from "../parse/parse-alert.js";
import { parseAlertsSettled } from "../parse/parse-alerts.js";
import { alertFilter } from "./alert-filter.js";
import { parseAlertId, type ParsedAlertId } from "./alert-id.js";
import {
  statusAfterAction,
  type AlertReference,
  type AlertStateAction,
  type AlertStateChangeResult,
  type DefenderAlertsApi,
  type ListAlertsQuery,
  type SimulateAlertsRequest,
  type UpdateAlertStateOptions,
} from "./defender-alerts-api.js";
import { DefenderAlertsError, defenderAlertsErrorCodes } from "./defender-alerts-error.js";
import { decodeListToken, encodeListToken } from "./list-token.js";

/** The api-version of the `inProgress` action, which arm-security 5 (api-version 2021-11-01) does not have. */
const inProgressApiVersion = "2022-01-01";
const locationPattern = /^[a-z0-9]{1,64}$/i;

/**
 * Options of {@link DefenderAlertsClient}: the Azure SDK's client options (retry, `httpClient`, additional
 * policies, user agent, proxy; the SDK's own retry policy already honours `Retry-After` on 429) passed to each
 * `SecurityCenter` client, plus Keywarden's own.
 */
export interface DefenderAlertsClientOptions extends KeywardenClientOptions {
  /** ARM endpoint, for sovereign clouds. Default `https://management.azure.com`. */
  endpoint?: string;
  /** Vault DNS suffix for `vault.vaultUri` (default `vault.azure.net`). */
  vaultDnsSuffix?: string;
  /**
   * After the SDK's own retries give up on HTTP 429, how many more times a state change waits out `Retry-After`
   * and tries again (Microsoft's DismissAllAlerts script uses 5). Default 5.
   */
  maxThrottleRetries?: number;
  /** Upper bound for one `Retry-After` wait, in ms. Default 360,000 (Microsoft's script default). */
  maxThrottleDelayInMs?: number;
  /** Time and the waits between throttled attempts; inject a manual clock in tests. Default: the system clock. */
  clock?: Clock;
}

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get(name: string): string | undefined | null } };
}

/** Azure's `nextLink` of a list page, when there is one. */
function nextLinkOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isObject(parsed) && typeof parsed.nextLink === "string" && parsed.nextLink !== "" ? parsed.nextLink : undefined;
  } catch {
    return undefined;
  }
}

function asRestError(error: unknown): RestErrorLike | undefined {
  return isObject(error) ? (error) : undefined;
}

/**
 * The caller's options for one SDK call (abort, tracing, request options), with an `onResponse` that also keeps
 * the raw body: the alerts are parsed from the text as Defender sent it, not from the SDK's deserialized model.
 */
function capturingBody(options: OperationOptions, keep: (body: string | undefined) => void): OperationOptions {
  return {
    ...options,
    onResponse: (rawResponse, flatResponse, error) => {
      keep(rawResponse.bodyAsText ?? undefined);
      options.onResponse?.(rawResponse, flatResponse, error);
    },
  };
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

function alertIdOf(reference: AlertReference): string {
  return typeof reference === "string" ? reference : reference.id;
}

/**
 * Defender for Cloud's Alerts API for Key Vault alerts, over `@azure/arm-security`.
 *
 * Every alert comes back as a `KeyVaultAlert` parsed from the raw response text, so 7-digit timestamps and
 * original extended-property keys survive (the SDK's own models turn times into `Date`s). Alerts are addressed
 * by their ARM id, which already encodes the subscription, resource group and ASC location.
 *
 * @example
 * ```ts
 * const client = new DefenderAlertsClient(new DefaultAzureCredential());
 * for await (const alert of client.listAlerts({ subscriptionIds: [sub], since: "2025-03-01T00:00:00Z" })) {
 *   console.log(alert.kind, alert.vault.name, alert.source.ipAddress);
 * }
 * ```
 */
export class DefenderAlertsClient implements DefenderAlertsApi {
  private readonly clients = new Map<string, SecurityCenter>();
  private readonly options: DefenderAlertsClientOptions;
  /** While a 429 is being waited out, every state change waits until this time (epoch ms). */
  private pausedUntil = 0;

  constructor(
    private readonly credential: TokenCredential,
    options: DefenderAlertsClientOptions = {},
  ) {
    this.options = options;
  }

  #armEndpoint(): string {
    return (this.options.endpoint ?? "https://management.azure.com").replace(/\/+$/, "");
  }

  private clientFor(subscriptionId: string): SecurityCenter {
    let client = this.clients.get(subscriptionId.toLowerCase());
    if (client === undefined) {
      // Keywarden's own settings stay here; the rest are the SDK client's options.
      const { vaultDnsSuffix: _suffix, maxThrottleRetries: _retries, maxThrottleDelayInMs: _delay, clock: _clock, requestTimeoutInMs, ...sdkOptions } = this.options;
      const policies = requestTimeoutInMs === undefined ? sdkOptions.additionalPolicies : [...(sdkOptions.additionalPolicies ?? []), { policy: requestTimeoutPolicy(requestTimeoutInMs), position: "perRetry" as const }];
      client = new SecurityCenter(this.credential, subscriptionId, withKeywardenUserAgent({ ...sdkOptions, ...(policies === undefined ? {} : { additionalPolicies: policies }) }, "alerts", packageVersion));
      this.clients.set(subscriptionId.toLowerCase(), client);
    }
    return client;
  }

  private requireAlertId(id: string): ParsedAlertId {
    const parsed = typeof id === "string" ? parseAlertId(id) : undefined;
    if (parsed === undefined) {
      throw new DefenderAlertsError(
        defenderAlertsErrorCodes.invalidAlertId,
        `"${String(id).slice(0, 200)}" is not a Defender alert id; pass the alert's \`id\` (/subscriptions/.../providers/Microsoft.Security/locations/<location>/alerts/<name>).`,
      );
    }
    return parsed;
  }

  private requestFailed(error: unknown, what: string): unknown {
    if (isAbort(error) || error instanceof DefenderAlertsError || error instanceof AlertParseError) return error;
    const rest = asRestError(error);
    const status = rest?.statusCode;
    const hint =
      status === 403
        ? " The identity needs Security Reader to read alerts and Security Admin to change them."
        : status === 404
          ? " The alert (or subscription) does not exist or is not visible to this identity."
          : "";
    return new DefenderAlertsError(
      status === 429 ? defenderAlertsErrorCodes.throttled : defenderAlertsErrorCodes.requestFailed,
      `${what} failed${status === undefined ? "" : ` with HTTP ${status}`}${rest?.code === undefined ? "" : ` (${rest.code})`}.${hint}`,
      { cause: error, status, retryAfterInMs: retryAfterMsOf(error, (this.options.clock ?? systemClock).now()) },
    );
  }

  /**
   * Lists Defender for Key Vault alerts (`KV_*` types) across subscriptions, newest pages first as Defender
   * returns them. Other Defender plans' alerts are left out; `kinds`, `includeSimulated` (default `false`) and
   * `since` (compared with `generatedTime`) narrow further. An alert that does not parse is logged and skipped.
   */
  listAlerts(query: ListAlertsQuery, options: OperationOptions = {}): KeywardenPagedIterator<KeyVaultAlert> {
    const subscriptionIds = [...query.subscriptionIds];
    for (const subscriptionId of subscriptionIds) {
      if (typeof subscriptionId !== "string" || !isGuid(subscriptionId)) {
        throw new DefenderAlertsError(defenderAlertsErrorCodes.invalidArgument, `"${String(subscriptionId)}" is not a subscription id (a GUID).`);
      }
    }
    const keep = alertFilter(query);
    const parseOptions = this.options.vaultDnsSuffix === undefined ? {} : { vaultDnsSuffix: this.options.vaultDnsSuffix };
    // The continuation token names the subscription being listed and the SDK's own token (Azure's nextLink)
    // within it, so a listing across several subscriptions resumes exactly where a page ended.
    return pagedIterator<KeyVaultAlert>(async (token) => {
      const position = token === undefined ? { subscription: 0, link: undefined } : decodeListToken(token, subscriptionIds.length);
      const subscriptionId = subscriptionIds[position.subscription];
      if (subscriptionId === undefined) return { items: [] };
      const body = await this.listPage(subscriptionId, position.link, options);
      const nextLink = nextLinkOf(body);
      const following =
        nextLink !== undefined
          ? encodeListToken(position.subscription, nextLink)
          : position.subscription + 1 < subscriptionIds.length
            ? encodeListToken(position.subscription + 1, undefined)
            : undefined;
      const { alerts, errors } = parseAlertsSettled(body, { ...parseOptions, channel: "arm" });
      for (const error of errors) {
        logger.warning(`Skipping an alert of subscription ${subscriptionId} that does not parse: ${error.code} at ${error.path}: ${error.message}`);
      }
      return { items: alerts.filter(keep), continuationToken: following };
    });
  }

  /**
   * One page of `GET .../providers/Microsoft.Security/alerts` as text: the first through the SDK, later ones by
   * following Azure's `nextLink` on the same pipeline (arm-security 5 cannot resume from a token). A link that
   * does not point at this client's ARM endpoint is refused, so a token from outside never sends a bearer token
   * elsewhere.
   */
  private async listPage(subscriptionId: string, link: string | undefined, options: OperationOptions): Promise<string> {
    const { abortSignal, tracingOptions } = options;
    const client = this.clientFor(subscriptionId);
    const label = `Listing alerts of subscription ${subscriptionId}`;
    logger.info(`${label}${link === undefined ? "" : " (next page)"}.`);
    if (link === undefined) {
      let body: string | undefined;
      try {
        await client.alerts
          .list(capturingBody(options, (text) => (body = text)))
          .byPage()
          .next();
      } catch (error) {
        throw this.requestFailed(error, label);
      }
      if (body === undefined) throw new DefenderAlertsError(defenderAlertsErrorCodes.invalidResponse, `${label} returned no body.`);
      return body;
    }
    const endpoint = new URL(this.#armEndpoint());
    let url: URL;
    try {
      url = new URL(link);
    } catch (error) {
      throw new DefenderAlertsError(defenderAlertsErrorCodes.invalidArgument, "The continuation token holds no valid link; list again without one.", { cause: error });
    }
    if (url.origin !== endpoint.origin) {
      throw new DefenderAlertsError(
        defenderAlertsErrorCodes.invalidArgument,
        `The continuation token points at ${url.origin}, not at ${endpoint.origin}; list again without it.`,
      );
    }
    let response;
    try {
      response = await client.sendRequest(createPipelineRequest({ url: url.href, method: "GET", abortSignal, tracingOptions }));
    } catch (error) {
      throw this.requestFailed(error, label);
    }
    if (response.status !== 200) {
      throw this.requestFailed(new RestError(`HTTP ${response.status}`, { statusCode: response.status, request: response.request, response }), label);
    }
    return response.bodyAsText ?? "";
  }

  /** Reads one alert by its ARM id. */
  async getAlert(id: string, options: OperationOptions = {}): Promise<KeyVaultAlert> {
    const alertId = this.requireAlertId(id);
    const client = this.clientFor(alertId.subscriptionId);
    let body: string | undefined;
    const requestOptions = capturingBody(options, (text) => (body = text));
    try {
      if (alertId.resourceGroup === undefined) {
        await client.alerts.getSubscriptionLevel(alertId.location, alertId.name, requestOptions);
      } else {
        await client.alerts.getResourceGroupLevel(alertId.location, alertId.name, alertId.resourceGroup, requestOptions);
      }
    } catch (error) {
      throw this.requestFailed(error, `Reading alert ${id}`);
    }
    if (body === undefined) throw new DefenderAlertsError(defenderAlertsErrorCodes.invalidResponse, `Reading alert ${id} returned no body.`);
    return parseAlert(body, this.options.vaultDnsSuffix === undefined ? { channel: "arm" } : { channel: "arm", vaultDnsSuffix: this.options.vaultDnsSuffix });
  }

  private async postState(alertId: ParsedAlertId, id: string, action: AlertStateAction, requestOptions: OperationOptions): Promise<void> {
    const client = this.clientFor(alertId.subscriptionId);
    const { location, name, resourceGroup } = alertId;
    const { abortSignal, tracingOptions } = requestOptions;
    switch (action) {
      case "dismiss":
        return resourceGroup === undefined
          ? client.alerts.updateSubscriptionLevelStateToDismiss(location, name, requestOptions)
          : client.alerts.updateResourceGroupLevelStateToDismiss(location, name, resourceGroup, requestOptions);
      case "resolve":
        return resourceGroup === undefined
          ? client.alerts.updateSubscriptionLevelStateToResolve(location, name, requestOptions)
          : client.alerts.updateResourceGroupLevelStateToResolve(location, name, resourceGroup, requestOptions);
      case "activate":
        return resourceGroup === undefined
          ? client.alerts.updateSubscriptionLevelStateToActivate(location, name, requestOptions)
          : client.alerts.updateResourceGroupLevelStateToActivate(location, name, resourceGroup, requestOptions);
      case "inProgress": {
        // Not in arm-security 5 (its alerts api-version is 2021-11-01): send it through the same client
        // pipeline (auth, retries, logging) with the 2022-01-01 api-version that defines it.
        const endpoint = (this.#armEndpoint()).replace(/\/+$/, "");
        const request = createPipelineRequest({
          url: `${endpoint}${id.replace(/\/+$/, "")}/inProgress?api-version=${inProgressApiVersion}`,
          method: "POST",
          abortSignal,
          tracingOptions,
        });
        const response = await client.sendRequest(request);
        if (response.status !== 204 && response.status !== 200) {
          let code: string | undefined;
          try {
            const body: unknown = JSON.parse(response.bodyAsText ?? "");
            if (isObject(body) && isObject(body.error) && typeof body.error.code === "string") code = body.error.code;
          } catch {
            // no ARM error body
          }
          throw new RestError(`inProgress returned HTTP ${response.status}`, { statusCode: response.status, request, response, ...(code === undefined ? {} : { code }) });
        }
        return;
      }
    }
  }

  /**
   * Runs `operation`, waiting out HTTP 429 `Retry-After` with core's `retryOnThrottle`. The wait is shared: every
   * worker of a bulk change holds off until the latest pause ends, so a throttled batch does not keep hammering.
   */
  private withThrottle<T>(operation: () => Promise<T>, abortSignal: OperationOptions["abortSignal"]): Promise<T> {
    const clock = this.options.clock ?? systemClock;
    const maxRetries = this.options.maxThrottleRetries ?? 5;
    return retryOnThrottle(
      async () => {
        const wait = this.pausedUntil - clock.now();
        if (wait > 0) await clock.sleep(wait, abortSignal);
        return operation();
      },
      {
        maxRetries,
        maxRetryDelayInMs: this.options.maxThrottleDelayInMs ?? 360_000,
        clock,
        ...(abortSignal === undefined ? {} : { abortSignal }),
        onThrottle: (attempt, waitMs) => {
          logger.info(`Throttled (429); waiting ${waitMs} ms before retry ${attempt} of ${maxRetries}.`);
          this.pausedUntil = Math.max(this.pausedUntil, clock.now() + waitMs);
        },
      },
    );
  }

  private async changeOne(reference: AlertReference, action: AlertStateAction, options: UpdateAlertStateOptions): Promise<AlertStateChangeResult> {
    const id = alertIdOf(reference);
    const alertId = this.requireAlertId(id);
    const target = statusAfterAction[action];
    const { verify, concurrency: _concurrency, ...operation } = options;
    const { abortSignal } = operation;
    const before = await this.withThrottle(() => this.getAlert(id, operation), abortSignal);
    if (before.status === target) {
      logger.info(`Alert ${id} is already ${target}; not posting ${action}.`);
      return { id, action, outcome: "skipped", previousStatus: before.status, status: before.status };
    }
    try {
      await this.withThrottle(() => this.postState(alertId, id, action, operation), abortSignal);
    } catch (error) {
      throw this.requestFailed(error, `Changing alert ${id} to ${target}`);
    }
    if (verify === false) return { id, action, outcome: "updated", previousStatus: before.status };
    // azure-cli #20487: the POST can answer 204 without changing anything. Re-read to confirm.
    const after = await this.withThrottle(() => this.getAlert(id, operation), abortSignal);
    if (after.status !== target) {
      return {
        id,
        action,
        outcome: "unverified",
        previousStatus: before.status,
        status: after.status,
        error: { code: defenderAlertsErrorCodes.requestFailed, message: `Defender accepted ${action} but the alert is still ${after.status}; retry later.` },
      };
    }
    return { id, action, outcome: "updated", previousStatus: before.status, status: after.status };
  }

  /**
   * Changes alert status through the alert's own id (subscription, resource group and location come from it).
   *
   * Idempotent: an alert already in the target status is not posted again (`outcome: "skipped"`). Each change is
   * re-read to confirm it (`"unverified"` when Defender accepted it but did not apply it). Bulk-safe: at most
   * `concurrency` changes run at once, and an HTTP 429 pauses every worker for its `Retry-After`.
   *
   * With one alert, failures throw `DefenderAlertsError`; with an array, each alert gets a result (`"failed"`
   * with the error) and the call only throws when aborted or given an invalid id.
   */
  updateAlertState(alert: AlertReference, action: AlertStateAction, options?: UpdateAlertStateOptions): Promise<AlertStateChangeResult>;
  updateAlertState(alerts: readonly AlertReference[], action: AlertStateAction, options?: UpdateAlertStateOptions): Promise<AlertStateChangeResult[]>;
  async updateAlertState(
    alertOrAlerts: AlertReference | readonly AlertReference[],
    action: AlertStateAction,
    options: UpdateAlertStateOptions = {},
  ): Promise<AlertStateChangeResult | AlertStateChangeResult[]> {
    if (!Object.hasOwn(statusAfterAction, action)) {
      throw new DefenderAlertsError(defenderAlertsErrorCodes.invalidArgument, `Unknown action "${String(action)}"; use dismiss, resolve, activate or inProgress.`);
    }
    if (!Array.isArray(alertOrAlerts)) return this.changeOne(alertOrAlerts as AlertReference, action, options);
    const references = alertOrAlerts as readonly AlertReference[];
    // Validate every id first: a typo should stop the batch before anything changes.
    for (const reference of references) this.requireAlertId(alertIdOf(reference));
    const results: AlertStateChangeResult[] = new Array<AlertStateChangeResult>(references.length);
    const seen = new Map<string, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < references.length) {
        const index = next++;
        const id = alertIdOf(references[index]!);
        const duplicate = seen.get(id.toLowerCase());
        if (duplicate !== undefined) {
          results[index] = { id, action, outcome: "skipped" };
          continue;
        }
        seen.set(id.toLowerCase(), index);
        try {
          results[index] = await this.changeOne(id, action, options);
        } catch (error) {
          if (isAbort(error) || options.abortSignal?.aborted === true) throw error;
          const failure = error instanceof DefenderAlertsError || error instanceof AlertParseError ? error : (this.requestFailed(error, `Changing alert ${id}`) as DefenderAlertsError);
          const result: AlertStateChangeResult = { id, action, outcome: "failed", error: { code: failure.code, message: failure.message } };
          if (failure instanceof DefenderAlertsError && failure.status !== undefined) result.error!.status = failure.status;
          results[index] = result;
        }
      }
    };
    const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, 16));
    await Promise.all(Array.from({ length: Math.min(concurrency, references.length) }, () => worker()));
    return results;
  }

  /**
   * Asks Defender to create its five sample Key Vault alerts (`SIMULATED_KV_*`, bundle `KeyVaults`) in a
   * subscription. Resolves once Defender accepted the request; the alerts appear a few minutes later.
   */
  async simulateAlerts(request: SimulateAlertsRequest, options: OperationOptions = {}): Promise<void> {
    if (!isGuid(request.subscriptionId)) {
      throw new DefenderAlertsError(defenderAlertsErrorCodes.invalidArgument, `"${String(request.subscriptionId)}" is not a subscription id (a GUID).`);
    }
    if (!locationPattern.test(request.location)) {
      throw new DefenderAlertsError(defenderAlertsErrorCodes.invalidArgument, `"${String(request.location)}" is not an Azure location name (e.g. "centralus").`);
    }
    try {
      await this.clientFor(request.subscriptionId).alerts.simulate(
        request.location,
        { properties: { kind: "Bundles", bundles: ["KeyVaults"] } },
        options,
      );
    } catch (error) {
      // arm-security 5 only expects 204; the 2022-01-01 API answers 202 Accepted (a long-running operation whose
      // result is the alerts themselves). Both mean Defender took the request.
      if (asRestError(error)?.statusCode === 202) return;
      throw this.requestFailed(error, `Simulating Key Vault alerts in subscription ${request.subscriptionId}`);
    }
  }
}
