import type { CaseStatus, TeamRole } from '@app/cases';
import type { DataSource } from 'typeorm';
import type { World } from '../../support/world';

export interface CaseOptions {
  status: CaseStatus;
  editionId?: string;
  /** Defaults to the world's rater as lead rater. */
  team?: { userId: string; teamRole: TeamRole }[];
}

/**
 * A certification case written straight into the database (the case transitions are tested
 * elsewhere): the world's institution and certifier, in the status the test needs.
 */
export async function aCase(dataSource: DataSource, world: World, options: CaseOptions): Promise<string> {
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO certification_case (type, status, institution_id, certifier_id, edition_id, status_changed_at, created_by, submitted_at)
     VALUES ('certification', $1, $2, $3, $4, now(), $5, CASE WHEN $1 = 'draft' THEN NULL ELSE now() END) RETURNING id`,
    [
      options.status,
      world.institutionId,
      world.certifierId,
      options.editionId ?? 'cps-2016',
      world.sessions.institution_admin.userId,
    ],
  );
  const caseId = rows[0].id;
  const team = options.team ?? [{ userId: world.sessions.rater.userId, teamRole: 'lead_rater' }];
  for (const member of team) {
    await dataSource.query('INSERT INTO case_team_member (case_id, user_id, team_role) VALUES ($1, $2, $3)', [
      caseId,
      member.userId,
      member.teamRole,
    ]);
  }
  return caseId;
}

export async function setCaseStatus(
  dataSource: DataSource,
  caseId: string,
  status: CaseStatus,
): Promise<void> {
  await dataSource.query(
    'UPDATE certification_case SET status = $2, status_changed_at = now(), version = version + 1 WHERE id = $1',
    [caseId, status],
  );
}
