/** The CLI's version, inlined at build time by tsup (see tsup.config.ts) and by vitest. */
declare const __KEYWARDEN_VERSION__: string;
