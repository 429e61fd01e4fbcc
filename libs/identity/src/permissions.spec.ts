import { ROLES, type Role } from '@app/common';
import { hasPermission, Permission, ROLE_PERMISSIONS } from './permissions';

const SECRETARIAT_ADMIN_ONLY = [
  Permission.StandardsImport,
  Permission.StandardsPublish,
  Permission.AuditVerify,
  Permission.LicensesManage,
  Permission.OrganizationsCreate,
  Permission.OrganizationChangesDecide,
];

describe('permissions', () => {
  describe('ROLE_PERMISSIONS', () => {
    it('maps every role and only known roles', () => {
      expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
    });

    it('grants only known permissions, each at most once per role', () => {
      const known = Object.values(Permission) as string[];
      for (const role of ROLES) {
        const permissions = ROLE_PERMISSIONS[role];
        expect(permissions.filter((permission) => !known.includes(permission))).toEqual([]);
        expect(new Set(permissions).size).toBe(permissions.length);
      }
    });
  });

  describe(hasPermission.name, () => {
    it.each(ROLES)('lets %s read and change its own account', (role) => {
      expect(hasPermission(role, Permission.AccountRead)).toBe(true);
      expect(hasPermission(role, Permission.AccountChangePassword)).toBe(true);
    });

    it.each(SECRETARIAT_ADMIN_ONLY)('grants %s to secretariat_admin and to no other role', (permission) => {
      const holders = ROLES.filter((role) => hasPermission(role, permission));
      expect(holders).toEqual(['secretariat_admin']);
    });

    it.each([
      ['institution_admin', Permission.UsersCreate, true],
      ['certifier_admin', Permission.UsersCreate, true],
      ['institution_member', Permission.UsersCreate, false],
      ['rater', Permission.OrganizationsUpdate, false],
      ['secretariat_officer', Permission.OrganizationsUpdate, false],
      ['institution_admin', Permission.OrganizationsUpdate, true],
    ] as [Role, Permission, boolean][])('answers %s × %s → %s', (role, permission, expected) => {
      expect(hasPermission(role, permission)).toBe(expected);
    });

    it.each(Object.values(Permission))('refuses %s to a caller without a role (null)', (permission) => {
      expect(hasPermission(null, permission)).toBe(false);
    });
  });
});
