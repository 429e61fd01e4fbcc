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
  OrganizationChangesDecide = 'organizations.changes.decide',
  UsersCreate = 'users.create',
  /** Change, deactivate and reset the password or second factor of an organization's users. */
  UsersManage = 'users.manage',
  UsersRead = 'users.read',
  StandardsImport = 'standards.import',
  StandardsPublish = 'standards.publish',
  AuditVerify = 'audit.verify',
  EvidenceRead = 'evidence.read',
  EvidenceUpload = 'evidence.upload',
  EvidenceDelete = 'evidence.delete',
  EvidenceRequestsCreate = 'evidence_requests.create',
  CasesCreate = 'cases.create',
  CasesRead = 'cases.read',
  CasesUpdate = 'cases.update',
  CasesTransition = 'cases.transition',
  CaseTeamManage = 'cases.team.manage',
  CaseConflictDeclare = 'cases.conflict.declare',
  CaseVotesCast = 'cases.votes.cast',
  CaseMissionManage = 'cases.mission.manage',
  CaseProfileAmend = 'cases.profile.amend',
  PriorServicesRecord = 'prior_services.record',
  PriorServicesRead = 'prior_services.read',
  SelfAssessmentWrite = 'self_assessment.write',
  RatingsWrite = 'ratings.write',
  FindingsWrite = 'findings.write',
  FindingsRespond = 'findings.respond',
  /** Update corrective actions (owner, due date, progress, evidence). */
  ActionsUpdate = 'actions.update',
  ActionsVerify = 'actions.verify',
  CertificatesManage = 'certificates.manage',
  CertificatesList = 'certificates.list',
}

const EVERY_USER: Permission[] = [
  Permission.AccountRead,
  Permission.AccountChangePassword,
  Permission.OrganizationsRead,
  Permission.CasesRead,
  Permission.EvidenceRead,
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  institution_admin: [
    ...EVERY_USER,
    Permission.EvidenceUpload,
    Permission.EvidenceDelete,
    Permission.OrganizationsUpdate,
    Permission.UsersCreate,
    Permission.UsersManage,
    Permission.UsersRead,
    Permission.CasesCreate,
    Permission.CasesUpdate,
    Permission.CasesTransition,
    Permission.SelfAssessmentWrite,
    Permission.FindingsRespond,
    Permission.ActionsUpdate,
  ],
  institution_member: [
    ...EVERY_USER,
    Permission.EvidenceUpload,
    Permission.UsersRead,
    Permission.SelfAssessmentWrite,
    Permission.FindingsRespond,
    Permission.ActionsUpdate,
  ],
  certifier_admin: [
    ...EVERY_USER,
    Permission.OrganizationsUpdate,
    Permission.UsersCreate,
    Permission.UsersManage,
    Permission.UsersRead,
    Permission.CasesTransition,
    Permission.CaseTeamManage,
    Permission.PriorServicesRecord,
    Permission.PriorServicesRead,
  ],
  rater: [
    ...EVERY_USER,
    Permission.EvidenceUpload,
    Permission.EvidenceRequestsCreate,
    Permission.UsersRead,
    Permission.CasesTransition,
    Permission.CaseConflictDeclare,
    Permission.CaseMissionManage,
    Permission.CaseProfileAmend,
    Permission.RatingsWrite,
    Permission.FindingsWrite,
    Permission.ActionsUpdate,
    Permission.ActionsVerify,
  ],
  committee_member: [
    ...EVERY_USER,
    Permission.UsersRead,
    Permission.CasesTransition,
    Permission.CaseConflictDeclare,
    Permission.CaseVotesCast,
  ],
  secretariat_admin: [
    ...EVERY_USER,
    Permission.OrganizationsCreate,
    Permission.OrganizationsUpdate,
    Permission.LicensesManage,
    Permission.OrganizationChangesDecide,
    Permission.UsersCreate,
    Permission.UsersManage,
    Permission.UsersRead,
    Permission.StandardsImport,
    Permission.StandardsPublish,
    Permission.AuditVerify,
    Permission.PriorServicesRead,
    Permission.CertificatesList,
    // The standard owner resolves escalated appeals (resolve_escalation).
    Permission.CasesTransition,
  ],
  secretariat_officer: [
    ...EVERY_USER,
    Permission.CertificatesManage,
    Permission.CertificatesList,
    Permission.UsersRead,
    Permission.CasesTransition,
    Permission.PriorServicesRead,
  ],
};

export function hasPermission(role: Role | null, permission: Permission): boolean {
  return role !== null && ROLE_PERMISSIONS[role].includes(permission);
}
