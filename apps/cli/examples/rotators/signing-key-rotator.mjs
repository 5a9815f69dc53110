// A rotator module for `keywarden respond|apply --policy policy.json` (see "Rotators" in apps/cli/README.md).
//
// It rotates HMAC signing keys whose only copy is the Key Vault secret itself (the applications read the key from the
// vault when they start), so storing a new value in the vault *is* rotating it at its source. A rotator for a
// credential issued elsewhere (a database login, a storage key, an app registration's client secret) calls that
// issuer in `rotate` and returns the value it issued; pass `request.idempotencyKey` to the issuer (an idempotency
// header, the credential's display name) so a call repeated after a crash returns the credential the first one made.
import { randomBytes } from "node:crypto";

import { defineRotator } from "@keywarden/remediation";

export const signingKeyRotator = defineRotator({
  name: "signing-key",
  // Matches by name here; `contentTypes` and `tags` (e.g. { rotation: "signing-key" }) are the other ways to match.
  match: { names: /-signing-key$/ },
  async rotate(request) {
    // Never log or return anything but the new value: Keywarden hands it straight to setSecret and keeps no copy.
    return {
      value: randomBytes(64).toString("base64url"),
      // Tags are merged over the current version's: this one records which response minted the key.
      tags: { "rotation-request": request.idempotencyKey },
    };
  },
});
