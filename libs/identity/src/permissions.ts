import type { Role } from '@app/common';

/**
 * What a role may ever do. A route names one permission; the global guard refuses (403) a role
 * without it. Whether the caller may act on a given record is checked below the route (404).
 */
export enum Permission {
  AccountRead = 'account.read',
  AccountChangePassword = 'account.change_password',
  OrganizationsCreate = 'organizations.create',
  OrganizationsRead = 'organizations.read',
  OrganizationsUpdate = 'organizations.update',
  LicensesManage = 'licenses.manage',
  UsersCreate = 'users.create',
  UsersRead = 'users.read',
  StandardsImport = 'standards.import',
  StandardsPublish = 'standards.publish',
  AuditVerify = 'audit.verify',
}

const EVERY_USER: Permission[] = [
  Permission.AccountRead,
  Permission.AccountChangePassword,
  Permission.OrganizationsRead,
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  institution_admin: [
    ...EVERY_USER,
    Permission.OrganizationsUpdate,
    Permission.UsersCreate,
    Permission.UsersRead,
  ],
  institution_member: [...EVERY_USER, Permission.UsersRead],
  certifier_admin: [
    ...EVERY_USER,
    Permission.OrganizationsUpdate,
    Permission.UsersCreate,
    Permission.UsersRead,
  ],
  rater: [...EVERY_USER, Permission.UsersRead],
  committee_member: [...EVERY_USER, Permission.UsersRead],
  secretariat_admin: [
    ...EVERY_USER,
    Permission.OrganizationsCreate,
    Permission.OrganizationsUpdate,
    Permission.LicensesManage,
    Permission.UsersCreate,
    Permission.UsersRead,
    Permission.StandardsImport,
    Permission.StandardsPublish,
    Permission.AuditVerify,
  ],
  secretariat_officer: [...EVERY_USER, Permission.UsersRead],
};

export function hasPermission(role: Role | null, permission: Permission): boolean {
  return role !== null && ROLE_PERMISSIONS[role].includes(permission);
}
