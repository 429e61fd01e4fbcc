export const ORGANIZATION_KINDS = ['institution', 'certifier', 'secretariat'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const ROLES = [
  'institution_admin',
  'institution_member',
  'certifier_admin',
  'rater',
  'committee_member',
  'secretariat_admin',
  'secretariat_officer',
] as const;
export type Role = (typeof ROLES)[number];

/** Which roles an organization of each kind may hold. */
export const ROLES_BY_ORGANIZATION_KIND: Record<OrganizationKind, readonly Role[]> = {
  institution: ['institution_admin', 'institution_member'],
  certifier: ['certifier_admin', 'rater', 'committee_member'],
  secretariat: ['secretariat_admin', 'secretariat_officer'],
};
