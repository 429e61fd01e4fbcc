import type { InstitutionProfile } from '@app/identity';
import { type CaseSnapshotRow, snapshotOfRow } from '../case-access.service';
import type { CaseView } from '../case.mapper';
import type { TeamRole } from '../case-status';
import type { CertificationCaseEntity } from '../entities/certification-case.entity';
import type { LatestDeclaration } from '../impartiality.service';

/**
 * Everything `toCaseDto` shows of a case, in one statement on `certification_case` aliased `c`: the row
 * in the entity's shape (dates as 'YYYY-MM-DD' strings, timestamps as Dates, as TypeORM hydrates them), the
 * snapshot's columns with the team and each member's name, both organizations, the edition's title and
 * each user's latest conflict-of-interest declaration. Add the WHERE clause; read each row with
 * `caseViewOfRow`.
 *
 * The organizations and the edition are scalar subqueries rather than joins: the statement is planned on
 * every call, and they plan in about half the time. The declarations come as parallel arrays, timestamps
 * as `timestamptz[]`: node-postgres parses them exactly as it parses a `timestamptz` column, so
 * `declaredAt` is the Date an entity read would give.
 */
export const CASE_VIEW_SQL = `SELECT c.id, c.type, c.status, c.version, c.edition_id AS "editionId",
       c.institution_id AS "institutionId", c.certifier_id AS "certifierId", c.submitted_at AS "submittedAt",
       c.certificate_number AS "certificateNumber", c.issued_certificate_number AS "issuedCertificateNumber",
       c.mission, c.profile, to_char(c.response_due_on, 'YYYY-MM-DD') AS "responseDueOn", c.outcome, c.level,
       c.decided_at AS "decidedAt", to_char(c.appeal_due_on, 'YYYY-MM-DD') AS "appealDueOn",
       c.committee_chair_id AS "committeeChairId",
       to_char(c.appeal_response_due_on, 'YYYY-MM-DD') AS "appealResponseDueOn",
       to_char(c.escalation_due_on, 'YYYY-MM-DD') AS "escalationDueOn",
       c.reopened_indicator_codes AS "reopenedIndicatorCodes",
       to_char(c.postponed_until, 'YYYY-MM-DD') AS "postponedUntil", c.is_pre_assessment AS "isPreAssessment",
       c.committee_round AS "committeeRound", c.decision_accepted_at AS "decisionAcceptedAt",
       c.status_changed_at AS "statusChangedAt", c.created_by AS "createdBy", c.created_at AS "createdAt",
       c.updated_at AS "updatedAt",
       (SELECT json_build_object('name', o.name, 'country', o.country, 'profile', o.profile)
          FROM organization o WHERE o.id = c.institution_id) AS "institutionDetails",
       (SELECT o.name FROM organization o WHERE o.id = c.certifier_id) AS "certifierName",
       (SELECT e.title FROM standards_edition e WHERE e.id = c.edition_id) AS "editionTitle",
       (SELECT coalesce(json_agg(json_build_object('userId', m.user_id, 'teamRole', m.team_role, 'name', u.name)), '[]')
          FROM case_team_member m JOIN user_account u ON u.id = m.user_id
         WHERE m.case_id = c.id) AS members,
       declarations.user_ids AS "declarationUserIds", declarations.conflicts AS "declarationConflicts",
       declarations.declared_at AS "declarationDates"
  FROM certification_case c
  CROSS JOIN LATERAL (
    SELECT array_agg(latest.user_id) AS user_ids, array_agg(latest.has_conflict) AS conflicts,
           array_agg(latest.declared_at) AS declared_at
      FROM (SELECT DISTINCT ON (d.user_id) d.user_id, d.has_conflict, d.declared_at
              FROM coi_declaration d WHERE d.case_id = c.id
             ORDER BY d.user_id, d.declared_at DESC) latest
  ) declarations`;

/** One row of `CASE_VIEW_SQL`. */
export interface CaseViewRow extends CertificationCaseEntity, Omit<CaseSnapshotRow, 'members'> {
  /** Null when the organization is not found. */
  institutionDetails: {
    name: string | null;
    country: string | null;
    profile: InstitutionProfile | null;
  } | null;
  certifierName: string | null;
  editionTitle: string | null;
  members: { userId: string; teamRole: TeamRole; name: string }[];
  /** Null when no one declared. */
  declarationUserIds: string[] | null;
  declarationConflicts: boolean[] | null;
  declarationDates: Date[] | null;
}

/** What the mapper needs of a case, from its `CASE_VIEW_SQL` row. */
export function caseViewOfRow(found: CaseViewRow): CaseView {
  const {
    institutionDetails: institution,
    certifierName,
    editionTitle,
    members,
    declarationUserIds,
    declarationConflicts,
    declarationDates,
    ...row
  } = found;
  const declarations = new Map<string, LatestDeclaration>(
    (declarationUserIds ?? []).map((userId, index) => [
      userId,
      { userId, hasConflict: declarationConflicts![index], declaredAt: declarationDates![index] },
    ]),
  );
  return {
    row,
    snapshot: snapshotOfRow(found),
    institution: {
      id: row.institutionId,
      name: institution?.name ?? '',
      country: institution?.country ?? '',
    },
    certifier: { id: row.certifierId, name: certifierName ?? '' },
    edition: { id: row.editionId, title: editionTitle ?? row.editionId },
    userNames: new Map(members.map((member) => [member.userId, member.name])),
    declarations,
    profile: row.submittedAt ? row.profile : (institution?.profile ?? null),
  };
}
