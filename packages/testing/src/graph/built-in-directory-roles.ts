import type { GraphRoleDefinition } from "../state/graph-types.js";

/** Built-in Entra directory roles (template ids from Microsoft's "Microsoft Entra built-in roles" page). */
const ROLES: ReadonlyArray<[id: string, displayName: string, isPrivileged: boolean]> = [
  ["62e90394-69f5-4237-9190-012177145e10", "Global Administrator", true],
  ["e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator", true],
  ["7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator", true],
  ["9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator", true],
  ["158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator", true],
  ["194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator", true],
  ["fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", true],
  ["c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator", true],
  ["729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", true],
  ["29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", false],
  ["f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader", true],
  ["5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader", true],
];

export function builtInDirectoryRoleDefinitions(): GraphRoleDefinition[] {
  return ROLES.map(([id, displayName, isPrivileged]) => ({
    id,
    displayName,
    description: `Built-in role: ${displayName}.`,
    isBuiltIn: true,
    isEnabled: true,
    isPrivileged,
    templateId: id,
  }));
}
