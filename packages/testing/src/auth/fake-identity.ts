/** Who the fake credential authenticates as. Its claims end up in tokens (and so in anything that logs the caller). */
export interface FakeIdentity {
  /** Entra object id of the caller. */
  objectId: string;
  /** Application (client) id of the caller. */
  applicationId: string;
  /** `app` for a service principal, `user` for a user. */
  type: "app" | "user";
  /** User principal name, for `type: "user"`. */
  userPrincipalName?: string;
}

export const DEFAULT_IDENTITY: FakeIdentity = {
  objectId: "6d1b4bb4-0000-4000-8000-00000000a11c",
  applicationId: "0f6c1e7e-0000-4000-8000-0000000000a1",
  type: "app",
};
