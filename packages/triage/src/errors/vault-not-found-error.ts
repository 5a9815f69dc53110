import { KeywardenError } from "@keywarden/core";
import { TriageErrorCodes } from "./triage-error-codes.js";

/** The in-memory inventory has no such vault (the Azure inspector surfaces ARM's own 404 instead). */
export class VaultNotFoundError extends KeywardenError {
  static override readonly marker: string = "keywarden.triage.vault-not-found";
  /** Mirrors ARM's answer so reports treat both inspectors alike. */
  readonly statusCode = 404;

  constructor(vaultResourceId: string) {
    super(
      TriageErrorCodes.VaultNotFound,
      `Vault ${vaultResourceId} is not in the in-memory inventory: add its VaultDescription to InMemoryVaultInspector's vaults.`,
      { category: "not-found" },
    );
  }
}
