import { Injectable } from '@nestjs/common';
import { type Actor, isSecretariat, NotFoundError } from '@app/common';
import type { InstitutionProfile } from '@app/identity';
import { PreparedQueries } from '@app/database';
import type { EntityManager } from 'typeorm';
import type { CaseStatus, CaseType } from './case-status';
import { CaseTeamMemberEntity } from './entities/case-team-member.entity';

export interface CaseTeam {
  leadRaterId: string | null;
  raterIds: string[];
  committeeMemberIds: string[];
}

/** What other libs need to know of a case to decide access and rules. */
export interface CaseSnapshot {
  id: string;
  type: CaseType;
  status: CaseStatus;
  version: number;
  editionId: string;
  institutionId: string;
  certifierId: string;
  /** When the institution submitted the case to its certification body; null while never submitted. */
  submittedAt: Date | null;
  team: CaseTeam;
}

export function teamOf(members: Pick<CaseTeamMemberEntity, 'userId' | 'teamRole'>[]): CaseTeam {
  return {
    leadRaterId: members.find((member) => member.teamRole === 'lead_rater')?.userId ?? null,
    raterIds: members.filter((member) => member.teamRole === 'rater').map((member) => member.userId),
    committeeMemberIds: members
      .filter((member) => member.teamRole === 'committee_member')
      .map((member) => member.userId),
  };
}

/** A case snapshot as `CASE_SNAPSHOT_COLUMNS` reads it; `snapshotOfRow` makes it a snapshot. */
export interface CaseSnapshotRow extends Omit<CaseSnapshot, 'team'> {
  members: Pick<CaseTeamMemberEntity, 'userId' | 'teamRole'>[];
}

/**
 * The select list of a case snapshot on `certification_case` aliased `c`, team included: a read route
 * adds what it answers beside it and reads the case, its visibility and its answer in one statement.
 */
export const CASE_SNAPSHOT_COLUMNS = `c.id, c.type, c.status, c.version, c.edition_id AS "editionId",
  c.institution_id AS "institutionId", c.certifier_id AS "certifierId", c.submitted_at AS "submittedAt",
  (SELECT coalesce(json_agg(json_build_object('userId', m.user_id, 'teamRole', m.team_role)), '[]')
     FROM case_team_member m WHERE m.case_id = c.id) AS members`;

/**
 * The rule of `caseProfileOf` as a column, on `certification_case` aliased `c` joined to its institution's
 * `organization` aliased `institution`: for a read that takes the profile beside other columns.
 */
export const CASE_PROFILE_COLUMN =
  'CASE WHEN c.submitted_at IS NULL THEN institution.profile ELSE c.profile END';

export function snapshotOfRow(row: CaseSnapshotRow): CaseSnapshot {
  return snapshotOf(row, row.members);
}

/** The snapshot of a row that holds a case's snapshot columns, with the case's team rows `members`. */
export function snapshotOf(
  row: Omit<CaseSnapshotRow, 'members'>,
  members: CaseSnapshotRow['members'],
): CaseSnapshot {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    version: row.version,
    editionId: row.editionId,
    institutionId: row.institutionId,
    certifierId: row.certifierId,
    submittedAt: row.submittedAt,
    team: teamOf(members),
  };
}

/** Who the caller is to a case. */
export const CaseRelation = {
  isInstitutionUser: (actor: Actor, snapshot: Pick<CaseSnapshot, 'institutionId'>): boolean =>
    actor.organizationKind === 'institution' && actor.organizationId === snapshot.institutionId,
  isCertifierAdmin: (actor: Actor, snapshot: Pick<CaseSnapshot, 'certifierId'>): boolean =>
    actor.role === 'certifier_admin' && actor.organizationId === snapshot.certifierId,
  isLeadRater: (actor: Actor, snapshot: Pick<CaseSnapshot, 'team'>): boolean =>
    actor.userId !== null && snapshot.team.leadRaterId === actor.userId,
  isOnMissionTeam: (actor: Actor, snapshot: Pick<CaseSnapshot, 'team'>): boolean =>
    actor.userId !== null &&
    (snapshot.team.leadRaterId === actor.userId || snapshot.team.raterIds.includes(actor.userId)),
  isCommitteeMember: (actor: Actor, snapshot: Pick<CaseSnapshot, 'team'>): boolean =>
    actor.userId !== null && snapshot.team.committeeMemberIds.includes(actor.userId),
  isOnTeam: (actor: Actor, snapshot: Pick<CaseSnapshot, 'team'>): boolean =>
    CaseRelation.isOnMissionTeam(actor, snapshot) || CaseRelation.isCommitteeMember(actor, snapshot),
};

/**
 * Case visibility (DOMAIN.md): an institution sees its own cases, a certification body's admin the
 * cases submitted to it, raters and committee members only the cases they are on, the secretariat
 * all. Anything else is answered as not found. A certification body never sees a case that was not
 * submitted to it, whatever its status: a draft withdrawn before submission stays the institution's.
 */
@Injectable()
export class CaseAccessService {
  // The snapshot reads below start every case route and every write's pre-read: named prepared statements
  // (PreparedQueries), parsed and planned once per pooled connection.
  constructor(private readonly prepared: PreparedQueries) {}

  canSee(actor: Actor, snapshot: CaseSnapshot): boolean {
    return (
      isSecretariat(actor) ||
      CaseRelation.isInstitutionUser(actor, snapshot) ||
      // The certification body receives the case when it is submitted, not while it is drafted.
      (snapshot.submittedAt !== null &&
        (CaseRelation.isCertifierAdmin(actor, snapshot) ||
          (actor.organizationId === snapshot.certifierId && CaseRelation.isOnTeam(actor, snapshot))))
    );
  }

  /** The case as the caller may see it; NotFoundError when it is missing or not visible. */
  async findVisible(actor: Actor, caseId: string, manager?: EntityManager): Promise<CaseSnapshot> {
    return this.visible(actor, await this.load(caseId, manager));
  }

  /**
   * `snapshot` when the caller may see it; NotFoundError when it is missing (null) or not visible. For a
   * route that read the snapshot itself (`CASE_SNAPSHOT_COLUMNS`) beside what it answers.
   */
  visible(actor: Actor, snapshot: CaseSnapshot | null): CaseSnapshot {
    if (!snapshot || !this.canSee(actor, snapshot)) throw new NotFoundError('Case');
    return snapshot;
  }

  async load(caseId: string, manager?: EntityManager): Promise<CaseSnapshot | null> {
    // One statement, a plain row: every case route starts here.
    const [found] = await this.prepared.query<CaseSnapshotRow[]>(
      `SELECT ${CASE_SNAPSHOT_COLUMNS} FROM certification_case c WHERE c.id = $1`,
      [caseId],
      manager,
    );
    return found ? snapshotOfRow(found) : null;
  }

  /**
   * `findVisible` and the institution profile the case is rated against (as `caseProfileOf` reads it:
   * the one it was submitted with, the live one while it is a draft), in one statement.
   */
  async findVisibleWithProfile(
    actor: Actor,
    caseId: string,
  ): Promise<{ snapshot: CaseSnapshot; profile: InstitutionProfile | null }> {
    const [found] = await this.prepared.query<(CaseSnapshotRow & { profile: InstitutionProfile | null })[]>(
      `SELECT ${CASE_SNAPSHOT_COLUMNS}, ${CASE_PROFILE_COLUMN} AS profile
         FROM certification_case c JOIN organization institution ON institution.id = c.institution_id
        WHERE c.id = $1`,
      [caseId],
    );
    return {
      snapshot: this.visible(actor, found ? snapshotOfRow(found) : null),
      profile: found?.profile ?? null,
    };
  }

  /**
   * The SQL condition that keeps, of `certification_case` aliased `alias`, the cases the caller may see
   * (`canSee` as SQL); its values are appended to `parameters` and referenced by position.
   */
  visibleCasesCondition(actor: Actor, alias: string, parameters: unknown[]): string {
    if (isSecretariat(actor)) return 'TRUE';
    const organization = `$${parameters.push(actor.organizationId)}`;
    if (actor.organizationKind === 'institution') return `${alias}.institution_id = ${organization}`;
    if (actor.role === 'certifier_admin') {
      return `${alias}.certifier_id = ${organization} AND ${alias}.submitted_at IS NOT NULL`;
    }
    const user = `$${parameters.push(actor.userId)}`;
    return `${alias}.certifier_id = ${organization} AND ${alias}.submitted_at IS NOT NULL
      AND EXISTS (SELECT 1 FROM case_team_member visible_member
                   WHERE visible_member.case_id = ${alias}.id AND visible_member.user_id = ${user})`;
  }

  /** Whether the caller's visible cases are narrowed by team membership (a join, not an index range). */
  seesByTeam(actor: Actor): boolean {
    return (
      !isSecretariat(actor) && actor.organizationKind !== 'institution' && actor.role !== 'certifier_admin'
    );
  }
}
