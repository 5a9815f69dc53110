import { PlanStaleError, RemediationError } from "../errors/remediation-error.js";
import { RemediationCodes } from "../errors/remediation-codes.js";
import type { ExecutionContext, StepExecutor } from "../engine/step-executor.js";
import type { ObjectTarget, PlanWarning, RemediationStep, StepOfKind, VaultTarget } from "../plan/remediation-plan.js";
import { RANDOM_VALUE_ROTATOR } from "../rotators/random-value-rotator.js";
import type { RotatedSecret, SecretRotator } from "../rotators/secret-rotator.js";
import type { RemediationClients } from "./remediation-clients.js";
import { objectStore, type VersionInfo } from "./object-stores.js";
import { requireVault } from "./vault-reads.js";

import { ROTATION_TAG } from "../plan/recorded-versions.js";

export { ROTATION_TAG };

interface RotationState {
  type: ObjectTarget["type"];
  name: string;
  latestVersion?: string;
  rotated: boolean;
  rotatedVersion?: string;
  /** A version created by this step whose tag was never written (the rotate answer was lost). */
  untaggedVersion?: string;
  rotator?: string;
}

function latest(versions: VersionInfo[]): VersionInfo | undefined {
  return [...versions].sort((a, b) => (a.createdOn ?? "").localeCompare(b.createdOn ?? "")).at(-1);
}

function marker(context: ExecutionContext, step: RemediationStep): string {
  return `${context.plan.id}:${step.id}`;
}

async function readRotation(
  clients: RemediationClients,
  vault: VaultTarget,
  object: ObjectTarget,
  step: RemediationStep,
  context: ExecutionContext,
): Promise<{ state: RotationState; current?: VersionInfo }> {
  const store = objectStore(clients, vault.vaultUri, object.type);
  const scope = { vault: vault.name, subscription: vault.subscriptionId };
  const versions = await context.call({
    label: `list versions of ${object.type} ${object.name}`,
    budget: "data",
    scope,
    idempotent: true,
    run: (abortSignal) => store.listVersions(object.name, { abortSignal }),
  });
  if (versions === undefined) {
    const deleted = await context.call({
      label: `get deleted ${object.type} ${object.name}`,
      budget: "data",
      scope,
      idempotent: true,
      run: (abortSignal) => store.getDeleted(object.name, { abortSignal }),
    });
    throw new PlanStaleError(
      deleted === undefined
        ? `${object.type} ${object.name} does not exist in vault ${vault.name}; nothing to rotate. Re-plan.`
        : `${object.type} ${object.name} is deleted but recoverable in vault ${vault.name}: its name is reserved, so a new version cannot be created. Recover it (recover-deleted) or purge it, then apply again.`,
      { stepId: step.id },
    );
  }
  const tag = marker(context, step);
  const rotatedVersion = versions.find((version) => version.tags?.[ROTATION_TAG] === tag);
  const current = latest(versions);
  const state: RotationState = { type: object.type, name: object.name, rotated: rotatedVersion !== undefined };
  if (current !== undefined) state.latestVersion = current.version;
  if (rotatedVersion !== undefined) state.rotatedVersion = rotatedVersion.version;
  return current === undefined ? { state } : { state, current };
}

/** Stable per plan, step and object: what a rotator may hand its source to make a repeated call return the same credential. */
export function rotationIdempotencyKey(planId: string, stepId: string, vaultName: string, secretName: string): string {
  return `keywarden:${planId}:${stepId}:${vaultName.toLowerCase()}:${secretName.toLowerCase()}`;
}

function pickRotator(
  step: StepOfKind<"rotate-secrets">,
  rotators: readonly SecretRotator[],
  secret: { name: string; contentType?: string; tags: Record<string, string> },
): SecretRotator {
  const allowed = rotators.filter((rotator) => rotator.name !== RANDOM_VALUE_ROTATOR || step.parameters.allowRandomValue);
  const chosen =
    step.parameters.rotator !== undefined
      ? allowed.find((rotator) => rotator.name === step.parameters.rotator)
      : allowed.find((rotator) => rotator.matches(secret));
  if (chosen === undefined) {
    const randomBlocked = !step.parameters.allowRandomValue && rotators.some((rotator) => rotator.name === RANDOM_VALUE_ROTATOR);
    throw new RemediationError(
      RemediationCodes.noRotator,
      step.parameters.rotator !== undefined
        ? `No rotator named "${step.parameters.rotator}" is registered (or policy forbids it) for secret ${secret.name}.`
        : `No rotator matches secret ${secret.name} (content type ${secret.contentType ?? "none"}). Register one that rotates it at its source` +
            (randomBlocked ? ", or allow the random-value rotator in the policy if nothing outside Key Vault depends on it." : "."),
      { stepId: step.id },
    );
  }
  return chosen;
}

export function rotateSecretsExecutor(clients: RemediationClients, rotators: readonly SecretRotator[]): StepExecutor<"rotate-secrets"> {
  // Values minted at their source but not yet stored, by idempotency key: a failed or lost setSecret is retried with
  // the same value (the source already holds it), never by minting another. Memory only, never journaled; dropped
  // once stored or when the engine is done with the step.
  const minted = new Map<string, RotatedSecret>();
  const keyPrefix = (context: ExecutionContext, step: RemediationStep) => `keywarden:${context.plan.id}:${step.id}:`;
  return {
    kind: "rotate-secrets",
    vaultPropertyWrite: false,
    release(step, context) {
      const prefix = keyPrefix(context, step);
      for (const key of [...minted.keys()]) if (key.startsWith(prefix)) minted.delete(key);
    },
    async inspect(step, context) {
      const vault = requireVault(step);
      const states: RotationState[] = [];
      for (const object of step.target.objects ?? []) {
        const { state, current } = await readRotation(clients, vault, object, step, context);
        if (object.type === "secret" && !state.rotated) {
          const tags = current?.tags ?? {};
          state.rotator = pickRotator(step, rotators, { name: object.name, ...(current?.contentType === undefined ? {} : { contentType: current.contentType }), tags }).name;
        }
        if (object.type === "key") {
          throw new RemediationError(RemediationCodes.missingTarget, `Key ${object.name} is rotated by a rotate-keys step, not rotate-secrets.`, { stepId: step.id });
        }
        states.push(state);
      }
      const pending = states.filter((state) => !state.rotated);
      const warnings: PlanWarning[] = pending.length === 0 ? [] : [
        {
          code: RemediationCodes.consumersMustUpdate,
          message: "Applications must pick up the new value; earlier versions stay readable until disabled (disable-secrets).",
          stepId: step.id,
        },
      ];
      return {
        done: pending.length === 0,
        before: { objects: states },
        changes: pending.map((state) =>
          state.type === "certificate" ? `issue a new version of certificate ${state.name} from its policy` : `rotate secret ${state.name} with rotator ${state.rotator ?? "?"}`,
        ),
        warnings,
      };
    },
    async execute(step, inspection, context) {
      const vault = requireVault(step);
      const { objects } = inspection.before as { objects: RotationState[] };
      const scope = { vault: vault.name, subscription: vault.subscriptionId };
      const tag = marker(context, step);
      for (const state of objects) {
        // Stored by an earlier attempt whose answer was lost: the kept value is no longer needed.
        if (state.rotated) minted.delete(rotationIdempotencyKey(context.plan.id, step.id, vault.name, state.name));
      }
      for (const state of objects.filter((candidate) => !candidate.rotated)) {
        if (state.type === "certificate") {
          const client = clients.certificates(vault.vaultUri);
          const policy = await context.call({
            label: `GET certificate policy ${state.name}`,
            budget: "data",
            scope,
            idempotent: true,
            run: (abortSignal) => client.getCertificatePolicy(state.name, { abortSignal }),
          });
          await context.call({
            label: `create certificate version ${state.name}`,
            // A certificate version comes with a new key pair: Key Vault creates a key for it.
            budget: "key-create",
            scope,
            idempotent: false,
            run: async (abortSignal) => {
              const poller = await client.beginCreateCertificate(state.name, policy, { abortSignal, tags: { [ROTATION_TAG]: tag }, intervalInMs: clients.pollIntervalInMs });
              await poller.pollUntilDone();
            },
          });
          continue;
        }
        const { current } = await readRotation(clients, vault, { type: "secret", name: state.name }, step, context);
        const tags = { ...(current?.tags ?? {}) };
        const idempotencyKey = rotationIdempotencyKey(context.plan.id, step.id, vault.name, state.name);
        let rotated = minted.get(idempotencyKey);
        if (rotated === undefined) {
          const rotator = pickRotator(step, rotators, { name: state.name, ...(current?.contentType === undefined ? {} : { contentType: current.contentType }), tags });
          rotated = await rotator.rotate({
            vaultUri: vault.vaultUri,
            vaultName: vault.name,
            name: state.name,
            ...(current?.contentType === undefined ? {} : { contentType: current.contentType }),
            tags,
            abortSignal: context.abortSignal,
            idempotencyKey,
          });
          minted.set(idempotencyKey, rotated);
          // Only the fact is journaled (which rotator, which key), never the value or anything derived from it.
          await context.recordProgress({
            message: `minted a new value for secret ${state.name} with rotator ${rotator.name}`,
            data: { minted: { type: "secret", name: state.name, rotator: rotator.name, idempotencyKey } },
          });
        }
        const value = rotated.value;
        const contentType = rotated.contentType ?? current?.contentType;
        await context.call({
          label: `set secret ${state.name} (new version)`,
          budget: "secret-create",
          scope,
          // A second PUT would create a second version: after a transient failure the step re-reads the tag instead.
          idempotent: false,
          run: (abortSignal) =>
            clients.secrets(vault.vaultUri).setSecret(state.name, value, {
              abortSignal,
              tags: { ...tags, ...rotated.tags, [ROTATION_TAG]: tag },
              ...(contentType === undefined ? {} : { contentType }),
            }),
        });
        minted.delete(idempotencyKey);
      }
      const after: RotationState[] = [];
      for (const object of step.target.objects ?? []) {
        const { state } = await readRotation(clients, vault, object, step, context);
        if (!state.rotated) {
          throw new RemediationError(RemediationCodes.notVerified, `${object.type} ${object.name} has no version tagged ${ROTATION_TAG}=${tag} after rotation.`, {
            stepId: step.id,
          });
        }
        after.push(state);
      }
      return {
        after: { objects: after },
        data: { newVersions: after.map((state) => ({ type: state.type, name: state.name, version: state.rotatedVersion ?? "" })) },
      };
    },
  };
}

export function rotateKeysExecutor(clients: RemediationClients): StepExecutor<"rotate-keys"> {
  return {
    kind: "rotate-keys",
    vaultPropertyWrite: false,
    async inspect(step, context) {
      const vault = requireVault(step);
      const states: RotationState[] = [];
      const prior = (context.startedBefore as { objects?: RotationState[] } | undefined)?.objects ?? [];
      for (const object of step.target.objects ?? []) {
        const { state } = await readRotation(clients, vault, { ...object, type: "key" }, step, context);
        const earlier = prior.find((candidate) => candidate.name.toLowerCase() === object.name.toLowerCase());
        // The rotate landed but its answer was lost: the latest version is new since the step first started.
        if (!state.rotated && earlier?.latestVersion !== undefined && state.latestVersion !== undefined && state.latestVersion !== earlier.latestVersion) {
          state.untaggedVersion = state.latestVersion;
        }
        states.push(state);
      }
      const pending = states.filter((state) => !state.rotated);
      return {
        done: pending.length === 0,
        before: { objects: states },
        changes: pending.map((state) =>
          state.untaggedVersion === undefined ? `rotate key ${state.name} (new version from its rotation policy)` : `record the rotation of key ${state.name} (version ${state.untaggedVersion})`,
        ),
        warnings: pending.length === 0 ? [] : [
          {
            code: RemediationCodes.consumersMustUpdate,
            message: "Data encrypted or wrapped with earlier key versions still needs them; disable old versions only after re-wrapping.",
            stepId: step.id,
          },
        ],
      };
    },
    async execute(step, inspection, context) {
      const vault = requireVault(step);
      const { objects } = inspection.before as { objects: RotationState[] };
      const scope = { vault: vault.name, subscription: vault.subscriptionId };
      const client = clients.keys(vault.vaultUri);
      const tag = marker(context, step);
      for (const state of objects.filter((candidate) => !candidate.rotated)) {
        let version = state.untaggedVersion;
        let tags: Record<string, string> = {};
        if (version === undefined) {
          const rotated = await context.call({
            label: `rotate key ${state.name}`,
            budget: "key-create",
            scope,
            idempotent: false,
            run: (abortSignal) => client.rotateKey(state.name, { abortSignal }),
          });
          version = rotated.properties.version ?? "";
          tags = rotated.properties.tags ?? {};
        }
        const newVersion = version;
        await context.call({
          label: `tag key ${state.name} version ${newVersion}`,
          budget: "data",
          scope,
          idempotent: true,
          run: (abortSignal) => client.updateKeyProperties(state.name, newVersion, { abortSignal, tags: { ...tags, [ROTATION_TAG]: tag } }),
        });
      }
      const after: RotationState[] = [];
      for (const object of step.target.objects ?? []) {
        const { state } = await readRotation(clients, vault, { ...object, type: "key" }, step, context);
        if (!state.rotated) throw new RemediationError(RemediationCodes.notVerified, `Key ${object.name} has no rotated version after rotate.`, { stepId: step.id });
        after.push(state);
      }
      return { after: { objects: after } };
    },
  };
}
