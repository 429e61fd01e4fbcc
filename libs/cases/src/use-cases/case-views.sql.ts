import { types } from 'pg';
import { snapshotOf } from '../case-access.service';
import type { CaseView } from '../case.mapper';
import type { TeamRole } from '../case-status';
import type { CertificationCaseEntity } from '../entities/certification-case.entity';
import type { LatestDeclaration } from '../impartiality.service';

/**
 * Case views in one statement: the select list and joins below read, for each case `c` of a query,
 * everything `toCaseDto` needs (the case row, its team with names, institution, certifier, edition and the
 * latest declaration of each member), so that a list of cases costs one round trip however long the page.
 *
 * Every column keeps the value TypeORM would hydrate: dates (`date` columns) as `YYYY-MM-DD` text, jsonb
 * as parsed by the driver, and timestamps inside JSON as PostgreSQL's own text, parsed below by the
 * driver's timestamptz parser, so that they are the very Dates a plain column would give.
 */
export const CASE_VIEW_COLUMNS = `c.id, c.type, c.status, c.version, c.institution_id AS "institutionId",
  c.certifier_id AS "certifierId", c.edition_id AS "editionId", c.certificate_number AS "certificateNumber",
  c.issued_certificate_number AS "issuedCertificateNumber", c.mission, c.submitted_at AS "submittedAt", c.profile,
  c.response_due_on::text AS "responseDueOn", c.outcome, c.level, c.decided_at AS "decidedAt",
  c.appeal_due_on::text AS "appealDueOn", c.committee_chair_id AS "committeeChairId",
  c.appeal_response_due_on::text AS "appealResponseDueOn", c.escalation_due_on::text AS "escalationDueOn",
  c.reopened_indicator_codes AS "reopenedIndicatorCodes", c.postponed_until::text AS "postponedUntil",
  c.is_pre_assessment AS "isPreAssessment", c.committee_round AS "committeeRound",
  c.decision_accepted_at AS "decisionAcceptedAt", c.status_changed_at AS "statusChangedAt",
  c.created_by AS "createdBy", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  case_institution.name AS "institutionName", case_institution.country AS "institutionCountry",
  CASE WHEN c.submitted_at IS NULL THEN case_institution.profile END AS "institutionProfile",
  case_certifier.name AS "certifierName", case_edition.title AS "editionTitle",
  (SELECT json_agg(json_build_object('userId', m.user_id, 'teamRole', m.team_role,
                                     'name', (SELECT u.name FROM user_account u WHERE u.id = m.user_id)))
     FROM case_team_member m WHERE m.case_id = c.id) AS members,
  (SELECT json_agg(json_build_object('userId', d.user_id, 'hasConflict', d.has_conflict,
                                     'declaredAt', d.declared_at::text))
     FROM (SELECT DISTINCT ON (d.user_id) d.user_id, d.has_conflict, d.declared_at
             FROM coi_declaration d WHERE d.case_id = c.id ORDER BY d.user_id, d.declared_at DESC) d) AS declarations`;

/** The joins `CASE_VIEW_COLUMNS` reads from, after `certification_case c`. */
export const CASE_VIEW_JOINS = `JOIN organization case_institution ON case_institution.id = c.institution_id
  JOIN organization case_certifier ON case_certifier.id = c.certifier_id
  JOIN standards_edition case_edition ON case_edition.id = c.edition_id`;

/** One row as `CASE_VIEW_COLUMNS` reads it. */
export interface CaseViewRow extends Omit<
  CertificationCaseEntity,
  'institution' | 'certifier' | 'edition' | 'creator'
> {
  institutionName: string;
  institutionCountry: string;
  institutionProfile: CertificationCaseEntity['profile'];
  certifierName: string;
  editionTitle: string;
  members: { userId: string; teamRole: TeamRole; name: string | null }[] | null;
  declarations: { userId: string; hasConflict: boolean; declaredAt: string }[] | null;
}

const parseTimestamp = types.getTypeParser(types.builtins.TIMESTAMPTZ) as (text: string) => Date;

/**
 * The view of one row. The row itself serves as the case row (its extra columns are never read from it):
 * no copy of its ~35 columns per case, which was most of a long page's cost in Node.
 */
export function toCaseView(found: CaseViewRow): CaseView {
  const team = found.members ?? [];
  const latest = new Map<string, LatestDeclaration>(
    (found.declarations ?? []).map((declaration) => [
      declaration.userId,
      {
        userId: declaration.userId,
        hasConflict: declaration.hasConflict,
        declaredAt: parseTimestamp(declaration.declaredAt),
      },
    ]),
  );
  return {
    row: found,
    snapshot: snapshotOf(found, team),
    institution: { id: found.institutionId, name: found.institutionName, country: found.institutionCountry },
    certifier: { id: found.certifierId, name: found.certifierName },
    edition: { id: found.editionId, title: found.editionTitle },
    userNames: new Map(
      team.flatMap((member) =>
        member.name === null ? [] : [[member.userId, member.name] as [string, string]],
      ),
    ),
    declarations: latest,
    profile: found.submittedAt ? found.profile : found.institutionProfile,
  };
}
