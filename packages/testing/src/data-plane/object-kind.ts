/** The three kinds of Key Vault object and the words the service uses for each in paths, codes and messages. */
export type ObjectKind = "secret" | "key" | "certificate";

export interface ObjectKindWords {
  /** Path segment of live objects: `secrets`. */
  readonly collection: string;
  /** Path segment of deleted objects: `deletedsecrets`. */
  readonly deletedCollection: string;
  /** `Secret`: used in error codes (`SecretNotFound`) and messages. */
  readonly title: string;
}

export const OBJECT_KIND_WORDS: Readonly<Record<ObjectKind, ObjectKindWords>> = {
  secret: { collection: "secrets", deletedCollection: "deletedsecrets", title: "Secret" },
  key: { collection: "keys", deletedCollection: "deletedkeys", title: "Key" },
  certificate: { collection: "certificates", deletedCollection: "deletedcertificates", title: "Certificate" },
};
