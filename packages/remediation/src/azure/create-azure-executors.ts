import type { TokenCredential } from "@azure/core-auth";
import type { KeywardenClientOptions } from "@keywarden/core";
import type { ExecutorRegistry } from "../engine/step-executor.js";
import { ConsoleNotifier } from "../notifiers/console-notifier.js";
import type { Notifier } from "../notifiers/notifier.js";
import type { NotifyDeliveryPolicy } from "../notifiers/delivery-policy.js";
import type { SecretRotator } from "../rotators/secret-rotator.js";
import { removeAccessPolicyExecutor, restoreAccessPolicyExecutor, restrictPermissionsExecutor } from "./access-policy-executors.js";
import { enableFirewallExecutor, restoreFirewallExecutor } from "./firewall-executors.js";
import {
  deleteSecretsExecutor,
  disableSecretsExecutor,
  enableVersionsExecutor,
  recoverDeletedExecutor,
} from "./object-executors.js";
import { notifyExecutor, revokeSessionsExecutor, updateAlertStateExecutor, type AlertStateClient } from "./people-executors.js";
import { RemediationClients } from "./remediation-clients.js";
import { removeRoleAssignmentsExecutor, restoreRoleAssignmentsExecutor } from "./role-assignment-executors.js";
import { rotateKeysExecutor, rotateSecretsExecutor } from "./rotate-executors.js";

export interface AzureExecutorsOptions {
  credential: TokenCredential;
  /** Passed to every Azure SDK client (the engine does retries itself; SDK retries are off unless set here). */
  clientOptions?: KeywardenClientOptions;
  armEndpoint?: string;
  graphEndpoint?: string;
  /** Long-running operation polling interval. Default 2000 ms. */
  pollIntervalInMs?: number;
  /** Where contact-owner and escalate-to-admin tasks go. Default: a `ConsoleNotifier`. */
  notifier?: Notifier;
  /** Delivery retries for tasks, and whether an undelivered task fails the run. Default 3 attempts, 1 s back-off, not best-effort. */
  notifyDelivery?: NotifyDeliveryPolicy;
  /** Secret rotators, tried in order (put `randomValueRotator()` last, if at all). */
  rotators?: readonly SecretRotator[];
  /** For update-alert-state steps; without it those steps fail with "no executor". */
  alerts?: AlertStateClient;
}

/** Executors for every step kind, over the real Azure SDK clients. */
export function createAzureExecutors(options: AzureExecutorsOptions): ExecutorRegistry {
  const clients = new RemediationClients({
    credential: options.credential,
    ...(options.clientOptions === undefined ? {} : { clientOptions: options.clientOptions }),
    ...(options.armEndpoint === undefined ? {} : { armEndpoint: options.armEndpoint }),
    ...(options.graphEndpoint === undefined ? {} : { graphEndpoint: options.graphEndpoint }),
    ...(options.pollIntervalInMs === undefined ? {} : { pollIntervalInMs: options.pollIntervalInMs }),
  });
  const notifier = options.notifier ?? new ConsoleNotifier();
  return {
    "enable-firewall": enableFirewallExecutor(clients),
    "restore-firewall": restoreFirewallExecutor(clients),
    "remove-access-policy": removeAccessPolicyExecutor(clients),
    "restrict-permissions": restrictPermissionsExecutor(clients),
    "restore-access-policy": restoreAccessPolicyExecutor(clients),
    "remove-role-assignments": removeRoleAssignmentsExecutor(clients),
    "restore-role-assignments": restoreRoleAssignmentsExecutor(clients),
    "revoke-sessions": revokeSessionsExecutor(clients),
    "contact-owner": notifyExecutor("contact-owner", notifier, options.notifyDelivery),
    "escalate-to-admin": notifyExecutor("escalate-to-admin", notifier, options.notifyDelivery),
    "rotate-secrets": rotateSecretsExecutor(clients, options.rotators ?? []),
    "rotate-keys": rotateKeysExecutor(clients),
    "disable-secrets": disableSecretsExecutor(clients),
    "enable-versions": enableVersionsExecutor(clients),
    "delete-secrets": deleteSecretsExecutor(clients),
    "recover-deleted": recoverDeletedExecutor(clients),
    ...(options.alerts === undefined ? {} : { "update-alert-state": updateAlertStateExecutor(options.alerts) }),
  };
}
