declare const __KEYWARDEN_PACKAGE_VERSION__: string | undefined;

/**
 * This package's version, as sent in the user agent and recorded on spans. The build injects it (tsup `define`
 * from package.json); run from source, as the tests do, it reads `0.0.0-source`.
 */
export const packageVersion: string = typeof __KEYWARDEN_PACKAGE_VERSION__ === "string" ? __KEYWARDEN_PACKAGE_VERSION__ : "0.0.0-source";
