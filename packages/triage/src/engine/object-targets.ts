/** Object names and versions named by the alert's target URIs (`https://v.vault.azure.net/secrets/name/version`). */
export interface NamedObjects {
  secretNames: string[];
  secretVersions: Record<string, string[]>;
  keyNames: string[];
  keyVersions: Record<string, string[]>;
}

const OBJECT_NAME = /^[0-9a-zA-Z-]{1,127}$/;
/** `https://<vault host>/<collection>/<name>[/<version>]`, query and fragment ignored. */
const OBJECT_URI = /^https:\/\/[^/?#]+\/([a-z]+)\/([^/?#]+)(?:\/([^/?#]+))?\/?(?:[?#].*)?$/i;
const VERSION = /^[0-9a-fA-F]{32}$/;

export function namedObjects(targets: readonly string[]): NamedObjects {
  const result: NamedObjects = { secretNames: [], secretVersions: {}, keyNames: [], keyVersions: {} };
  for (const target of targets) {
    const match = OBJECT_URI.exec(target.trim());
    if (match === null) continue;
    const [, collection, name, version] = match;
    if (name === undefined || !OBJECT_NAME.test(name)) continue;
    const kind = collection?.toLowerCase();
    if (kind === "secrets") add(result.secretNames, result.secretVersions, name, version);
    else if (kind === "keys") add(result.keyNames, result.keyVersions, name, version);
  }
  return result;
}

function add(names: string[], versions: Record<string, string[]>, name: string, version: string | undefined): void {
  // Object names are case-insensitive in Key Vault: keep the first spelling seen.
  let existing = name;
  if (names.length > 0) {
    const lower = name.toLowerCase();
    existing = names.find((item) => item.toLowerCase() === lower) ?? name;
  }
  if (existing === name && !names.includes(name)) names.push(name);
  if (version !== undefined && VERSION.test(version)) {
    // Own properties only: a secret may be called `constructor` or `toString` (valid Key Vault names).
    const list = Object.hasOwn(versions, existing) ? (versions[existing] as string[]) : (versions[existing] = []);
    const lowerVersion = version.toLowerCase();
    if (!list.includes(lowerVersion)) list.push(lowerVersion);
  }
}
