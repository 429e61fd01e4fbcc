import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, ForbiddenError, StaleVersionError } from '@app/common';
import type { InstitutionProfile } from '@app/identity';
import { DataSource, type EntityManager } from 'typeorm';
import { CASE_PROFILE_COLUMN, CaseAccessService, CaseRelation } from '../case-access.service';
import type { CaseStatus } from '../case-status';
import { CaseLockedError } from '../cases.errors';
import type { AmendCaseProfileRequestDto, CaseDto } from '../dto/case.dto';
import { CertificationCaseEntity } from '../entities/certification-case.entity';
import type { TransitionContext } from '../transitions/transition-context';
import { TransitionGuardRegistry } from '../transitions/transition-guard.registry';
import { CaseQueriesService } from './case-queries.service';

/** While the mission team works on the case, the lead rater may correct the submitted profile. */
const PROFILE_AMENDABLE: readonly CaseStatus[] = ['desk_review', 'onsite', 'findings_issued'];

/**
 * The institution profile that decides a case's applicability: the one the institution submitted, not
 * its organization's current profile. Every applicability computation (self-assessment, ratings,
 * results, the findings guard, the decision package, the report) reads it through here or through
 * `CASE_PROFILE_COLUMN`.
 */
export async function caseProfileOf(
  manager: EntityManager,
  caseId: string,
): Promise<InstitutionProfile | null> {
  const rows = await manager.query<{ profile: InstitutionProfile | null }[]>(
    `SELECT ${CASE_PROFILE_COLUMN} AS profile
       FROM certification_case c JOIN organization institution ON institution.id = c.institution_id
      WHERE c.id = $1`,
    [caseId],
  );
  return rows[0]?.profile ?? null;
}

/** Snapshots the profile at `submit`; lets the lead rater amend it, audited. */
@Injectable()
export class CaseProfileService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly audit: AuditService,
    private readonly queries: CaseQueriesService,
    registry: TransitionGuardRegistry,
  ) {
    registry.registerEffect('submit', 'cases.snapshot_profile', (context) => this.snapshotAtSubmit(context));
  }

  async amend(actor: Actor, caseId: string, request: AmendCaseProfileRequestDto): Promise<CaseDto> {
    await this.dataSource.transaction(async (manager) => {
      // The case row locked first: no transition runs between the checks and the write.
      await manager.query('SELECT 1 FROM certification_case WHERE id = $1 FOR UPDATE', [caseId]);
      const snapshot = await this.access.findVisible(actor, caseId, manager);
      if (!CaseRelation.isLeadRater(actor, snapshot)) {
        throw new ForbiddenError("Only the case's lead rater amends the submitted profile");
      }
      if (!PROFILE_AMENDABLE.includes(snapshot.status)) {
        throw new CaseLockedError('The case profile', snapshot.status);
      }
      if (snapshot.version !== request.version) throw new StaleVersionError('Case', request.version);
      const before = await caseProfileOf(manager, caseId);
      const after: InstitutionProfile = { ...request.profile };
      const result = await manager
        .createQueryBuilder()
        .update(CertificationCaseEntity)
        .set({ profile: after, version: () => 'version + 1', updatedAt: () => 'now()' })
        .where('id = :caseId AND version = :version AND status IN (:...statuses)', {
          caseId,
          version: request.version,
          statuses: PROFILE_AMENDABLE,
        })
        .execute();
      if (result.affected !== 1) throw new StaleVersionError('Case', request.version);
      await this.audit.record(manager, actor, {
        entityType: 'case',
        entityId: caseId,
        caseId,
        action: 'case.profile_amended',
        reason: request.reason,
        data: { before, after, fromVersion: request.version },
      });
    });
    return this.queries.get(actor, caseId);
  }

  /** At `submit`: the organization's profile as it is now becomes the case's (the row share-locked). */
  private async snapshotAtSubmit({ manager, caseRow }: TransitionContext): Promise<Record<string, unknown>> {
    const [organization] = await manager.query<{ profile: InstitutionProfile | null }[]>(
      'SELECT profile FROM organization WHERE id = $1 FOR SHARE',
      [caseRow.institutionId],
    );
    const profile = organization?.profile ?? null;
    await manager.getRepository(CertificationCaseEntity).update({ id: caseRow.id }, { profile });
    return { profile };
  }
}
