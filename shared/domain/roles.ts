export const ROLES = ['investigator', 'team_lead', 'trainer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
