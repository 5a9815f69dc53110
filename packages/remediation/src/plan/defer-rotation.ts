import { RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import { RANDOM_VALUE_ROTATOR } from "../rotators/random-value-rotator.js";
import type { ImpactInput } from "./impact-input.js";
import type { JsonValue, NotificationTaskParameters, ObjectTarget, PlanWarning, RemediationStep, StepOfKind, VaultTarget } from "./remediation-plan.js";
import type { RotationCoverage, SecretDescription } from "./rotation-coverage.js";

type Draft = Omit<RemediationStep, "id">;

export interface DeferralInput {
  coverage: RotationCoverage | undefined;
  /** Secrets whose owner confirmed the rotation at the source (names, case-insensitive). */
  ownerConfirmed: readonly string[];
  impact: ImpactInput | undefined;
  alertType: string;
  /** The evidence every task of this plan carries (alert, source, findings). */
  evidence: Record<string, JsonValue>;
  recipients: () => Pick<NotificationTaskParameters, "recipients" | "recipientSources">;
  warnings: PlanWarning[];
}

export interface DeferralResult {
  drafts: Draft[];
  /** Secrets whose rotation was handed to their owner: their disabling waits for the owner's confirmation. */
  deferred: { vault: VaultTarget; names: string[] }[];
}

const lower = (value: string) => value.toLowerCase();

/**
 * Rotation is only real at the secret's source. A secret no registered rotator can rotate there becomes a task for its
 * owner (with who read which versions, when, and what to rotate), and the disabling or deleting of its exposed
 * versions is left out of the plan: done before the source has a new credential, it would break the applications
 * that use it. A follow-up plan with `ownerConfirmed` disables them once the owner says the source was rotated. Pure.
 */
export function deferUnrotatable(drafts: readonly Draft[], input: DeferralInput): DeferralResult {
  const confirmed = new Set(input.ownerConfirmed.map(lower));
  const deferredByVault = new Map<string, { vault: VaultTarget; names: string[] }>();
  const kept: Draft[] = [];
  for (const draft of drafts) {
    if (draft.kind !== "rotate-secrets" || draft.target.vault === undefined) {
      kept.push(draft);
      continue;
    }
    const step = draft as Omit<StepOfKind<"rotate-secrets">, "id">;
    const vault = draft.target.vault;
    const objects: ObjectTarget[] = [];
    const chosen: string[] = [];
    for (const object of step.target.objects ?? []) {
      if (object.type !== "secret") {
        objects.push(object);
        continue;
      }
      if (confirmed.has(lower(object.name))) {
        input.warnings.push({
          code: RemediationCodes.rotationDeferredToOwner,
          message: `The owner confirmed that secret ${object.name} of vault ${vault.name} was rotated at its source: Keywarden does not rotate it, and its exposed versions are disabled.`,
        });
        continue;
      }
      const rotator = input.coverage === undefined ? undefined : rotatorFor(step, vault, object, input.coverage);
      if (input.coverage !== undefined && rotator === undefined) {
        const entry = deferredByVault.get(lower(vault.resourceId)) ?? { vault, names: [] };
        entry.names.push(object.name);
        deferredByVault.set(lower(vault.resourceId), entry);
        continue;
      }
      objects.push(object);
      if (rotator !== undefined) chosen.push(`secret ${object.name} (rotator ${rotator})`);
    }
    if (objects.length === 0) continue;
    const others = objects.filter((object) => object.type !== "secret").map((object) => `${object.type} ${object.name}`);
    kept.push({
      ...step,
      target: { ...step.target, objects },
      precondition: { ...step.precondition, summary: [...chosen, ...others].join(", ") || step.precondition.summary },
    });
  }
  const deferred = [...deferredByVault.values()];
  if (deferred.length === 0) return { drafts: kept, deferred };

  const isDeferred = (vault: VaultTarget | undefined, object: ObjectTarget) =>
    vault !== undefined && object.type === "secret" && (deferredByVault.get(lower(vault.resourceId))?.names.some((name) => lower(name) === lower(object.name)) ?? false);
  const result: Draft[] = [];
  for (const draft of kept) {
    if (draft.kind !== "disable-secrets" && draft.kind !== "delete-secrets") {
      result.push(draft);
      continue;
    }
    const objects = (draft.target.objects ?? []).filter((object) => !isDeferred(draft.target.vault, object));
    if (objects.length === (draft.target.objects ?? []).length) result.push(draft);
    else if (objects.length > 0) {
      result.push({ ...draft, target: { ...draft.target, objects }, precondition: { ...draft.precondition, summary: objects.map((object) => `${object.type} ${object.name}`).join(", ") } });
    }
  }
  for (const { vault, names } of deferred) {
    const registered = input.coverage?.rotators.map((rotator) => rotator.name) ?? [];
    input.warnings.push({
      code: RemediationCodes.rotationDeferredToOwner,
      message:
        `No registered rotator can rotate ${names.map((name) => `secret ${name}`).join(", ")} of vault ${vault.name} at its source (registered: ${registered.join(", ") || "none"}): ` +
        "rotating it is a task for its owner, and disabling its exposed versions is left out of this plan. After the owner confirms the rotation, " +
        "make a follow-up plan with ownerConfirmed (keywarden respond <alert> --owner-confirmed <secret>), or register a rotator that matches it.",
    });
    result.push(ownerTask(vault, names, input));
  }
  return { drafts: result, deferred };
}

function rotatorFor(step: Omit<StepOfKind<"rotate-secrets">, "id">, vault: VaultTarget, object: ObjectTarget, coverage: RotationCoverage): string | undefined {
  const allowed = coverage.rotators.filter((rotator) => rotator.name !== RANDOM_VALUE_ROTATOR || step.parameters.allowRandomValue);
  if (step.parameters.rotator !== undefined) {
    const named = allowed.find((rotator) => rotator.name === step.parameters.rotator);
    if (named === undefined) {
      // A rotator named outright is a configuration error, found now rather than when the step runs.
      throw new RemediationError(
        RemediationCodes.noRotator,
        `The policy names rotator "${step.parameters.rotator}" (secrets.rotator) for secret ${object.name}, but the registered rotators are ` +
          `${coverage.rotators.map((rotator) => rotator.name).join(", ") || "none"}${step.parameters.rotator === RANDOM_VALUE_ROTATOR ? " and the policy does not allow random values" : ""}. ` +
          "Register that rotator, or remove secrets.rotator from the policy.",
      );
    }
    return named.name;
  }
  const described = describedAs(coverage.secrets ?? [], vault, object);
  return allowed.find((rotator) => rotator.matches(described))?.name;
}

function describedAs(secrets: readonly SecretDescription[], vault: VaultTarget, object: ObjectTarget): { name: string; contentType?: string; tags: Record<string, string> } {
  const found = secrets.find((secret) => lower(secret.name) === lower(object.name) && (secret.vaultName === undefined || lower(secret.vaultName) === lower(vault.name)));
  const contentType = found?.contentType ?? object.contentType;
  return { name: object.name, ...(contentType === undefined ? {} : { contentType }), tags: { ...(object.tags ?? {}), ...(found?.tags ?? {}) } };
}

function ownerTask(vault: VaultTarget, names: readonly string[], input: DeferralInput): Draft {
  const secrets = names.map((name) => secretEvidence(vault, name, input));
  const lines = secrets.map((secret) => `- ${secretLine(secret)}`);
  return {
    kind: "contact-owner",
    target: { vault, objects: names.map((name) => ({ type: "secret" as const, name })) },
    parameters: {
      ...input.recipients(),
      subject: `Rotate ${names.length === 1 ? `secret ${names[0] ?? ""}` : `${names.length} secrets`} of Key Vault ${vault.name} at the source (${input.alertType})`,
      message: [
        `Defender for Key Vault raised ${input.alertType} on vault ${vault.name}. These secrets were exposed, and no rotator registered with Keywarden can change them where they are issued, so Keywarden has not changed them:`,
        ...lines,
        "Rotate each one at its source (the database login, the storage or service key, the client secret it is), store the new value as a new version of the secret in the vault, and tell the security team.",
        "The exposed versions are disabled by a follow-up plan once you confirm; until then they stay enabled so that nothing that uses them breaks.",
      ].join("\n"),
      evidence: { ...input.evidence, rotateAtSource: secrets.map((secret) => secret as unknown as JsonValue) },
    },
    reason: `No registered rotator can rotate ${names.join(", ")} at the source: the owner rotates it, then confirms.`,
    risk: "safe",
    reversible: false,
    requiresApproval: false,
    precondition: { summary: "" },
  };
}

interface SecretEvidence {
  secret: string;
  contentType?: string;
  exposedVersions: string[];
  reason?: string;
  readBy: { caller: string; ipAddress?: string; requests: number; firstTime?: string; lastTime?: string }[];
}

function secretEvidence(vault: VaultTarget, name: string, input: DeferralInput): SecretEvidence {
  const rotation = input.impact?.toRotate.find((item) => item.type === "secret" && lower(item.name) === lower(name));
  const object = input.impact?.objects?.find((item) => item.type === "secret" && lower(item.name) === lower(name));
  const description = input.coverage?.secrets?.find((secret) => lower(secret.name) === lower(name) && (secret.vaultName === undefined || lower(secret.vaultName) === lower(vault.name)));
  const evidence: SecretEvidence = {
    secret: name,
    exposedVersions: [...new Set([...(rotation?.versions ?? []), ...(object?.versions ?? [])])].sort(),
    readBy: (object?.callers ?? []).map((caller) => ({
      caller: caller.userPrincipalName ?? caller.objectId ?? caller.applicationId ?? caller.ipAddress ?? "unknown",
      ...(caller.ipAddress === undefined ? {} : { ipAddress: caller.ipAddress }),
      requests: caller.count,
      ...(caller.firstTime === undefined ? {} : { firstTime: caller.firstTime }),
      ...(caller.lastTime === undefined ? {} : { lastTime: caller.lastTime }),
    })),
  };
  if (description?.contentType !== undefined) evidence.contentType = description.contentType;
  if (rotation?.reason !== undefined) evidence.reason = rotation.reason;
  return evidence;
}

function secretLine(secret: SecretEvidence): string {
  const versions = secret.exposedVersions.length === 0 ? "the version current at the time" : `version(s) ${secret.exposedVersions.join(", ")}`;
  const readers = secret.readBy.map((reader) => `${reader.caller}${reader.ipAddress === undefined || reader.ipAddress === reader.caller ? "" : ` from ${reader.ipAddress}`} (${reader.requests} request(s)${reader.lastTime === undefined ? "" : `, last ${reader.lastTime}`})`);
  return (
    `secret ${secret.secret}${secret.contentType === undefined ? "" : ` (content type ${secret.contentType})`}: ${versions}` +
    (readers.length === 0 ? "" : ` read by ${readers.join(", ")}`) +
    (secret.reason === undefined ? "" : `. ${secret.reason}`)
  );
}
