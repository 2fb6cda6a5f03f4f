export const ROLES = ['agent', 'editor', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  kind: 'staff' | 'api_key';
  /** staff id, or api key id */
  id: string;
  role: Role;
  name: string;
  team?: string | null;
}
