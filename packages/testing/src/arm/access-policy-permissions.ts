/** Permission values the service accepts (KeyVault 2023-07-01..2026-02-01, compared case-insensitively). */
export const ACCESS_POLICY_PERMISSIONS = {
  keys: ["all", "encrypt", "decrypt", "wrapkey", "unwrapkey", "sign", "verify", "get", "list", "create", "update", "import", "delete", "backup", "restore", "recover", "purge", "release", "rotate", "getrotationpolicy", "setrotationpolicy"],
  secrets: ["all", "get", "list", "set", "delete", "backup", "restore", "recover", "purge"],
  certificates: ["all", "get", "list", "delete", "create", "import", "update", "managecontacts", "getissuers", "listissuers", "setissuers", "deleteissuers", "manageissuers", "recover", "purge", "backup", "restore"],
  storage: ["all", "get", "list", "delete", "set", "update", "regeneratekey", "recover", "purge", "backup", "restore", "setsas", "listsas", "getsas", "deletesas"],
} as const;
