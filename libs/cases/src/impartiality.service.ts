import { Injectable } from '@nestjs/common';
import { addMonths, ErrorCode } from '@app/common';
import { AuditEventEntity } from '@app/audit';
import { type EntityManager, In } from 'typeorm';
import { GuardFailedError } from './cases.errors';
import { CoiDeclarationEntity } from './entities/coi-declaration.entity';
import { PriorServiceEntity } from './entities/prior-service.entity';

/** Prior services within this many months of their end block assignment. */
export const PRIOR_SERVICE_BLOCK_MONTHS = 24;

export function blockedUntil(endedOn: string): string {
  return addMonths(endedOn, PRIOR_SERVICE_BLOCK_MONTHS);
}

export interface LatestDeclaration {
  userId: string;
  hasConflict: boolean;
  declaredAt: Date;
}

/** The impartiality rules of DOMAIN.md: prior services and conflict-of-interest declarations. */
@Injectable()
export class ImpartialityService {
  /** Prior services that block the certifier (as a whole) or any of the users from this institution today. */
  async blockingPriorServices(
    manager: EntityManager,
    institutionId: string,
    certifierId: string,
    userIds: string[],
    today: string,
  ): Promise<PriorServiceEntity[]> {
    const query = manager
      .getRepository(PriorServiceEntity)
      .createQueryBuilder('service')
      .where('service.institution_id = :institutionId', { institutionId })
      .andWhere('service.ended_on > :since', { since: addMonths(today, -PRIOR_SERVICE_BLOCK_MONTHS) });
    const people = userIds.length > 0 ? ' OR service.user_id IN (:...userIds)' : '';
    return query
      .andWhere(`((service.certifier_id = :certifierId AND service.user_id IS NULL)${people})`, {
        certifierId,
        userIds,
      })
      .getMany();
  }

  async assertNoBlockingPriorService(
    manager: EntityManager,
    institutionId: string,
    certifierId: string,
    userIds: string[],
    today: string,
  ): Promise<void> {
    const blocking = await this.blockingPriorServices(manager, institutionId, certifierId, userIds, today);
    if (blocking.length === 0) return;
    throw new GuardFailedError(
      ErrorCode.ConflictOfInterest,
      'A prior service to this institution within 24 months blocks the assignment',
      blocking.map((service) => ({
        field: service.userId ? 'userId' : 'certifierId',
        message: `${service.kind} service ended on ${service.endedOn} blocks until ${blockedUntil(service.endedOn)}`,
        userId: service.userId,
        priorServiceId: service.id,
      })),
    );
  }

  /** Each user's latest declaration for the case. */
  async latestDeclarations(manager: EntityManager, caseId: string): Promise<Map<string, LatestDeclaration>> {
    const rows = await manager
      .getRepository(CoiDeclarationEntity)
      .createQueryBuilder('declaration')
      .distinctOn(['declaration.user_id'])
      .where('declaration.case_id = :caseId', { caseId })
      .orderBy('declaration.user_id')
      .addOrderBy('declaration.declared_at', 'DESC')
      .getMany();
    return new Map(rows.map((row) => [row.userId, row]));
  }

  /** Everyone who was ever lead rater or rater of the case, from its audit trail. */
  async formerMissionMembers(manager: EntityManager, caseId: string): Promise<Set<string>> {
    const events = await manager.getRepository(AuditEventEntity).find({
      where: { caseId, action: In(['case.accept', 'case.team_assigned']) },
      select: { data: true },
    });
    const ids = new Set<string>();
    for (const event of events) {
      const data = event.data as { leadRaterId?: string; raterIds?: string[] };
      if (data.leadRaterId) ids.add(data.leadRaterId);
      for (const id of data.raterIds ?? []) ids.add(id);
    }
    return ids;
  }

  async assertNoDeclaredConflict(manager: EntityManager, caseId: string, userIds: string[]): Promise<void> {
    const declarations = await this.latestDeclarations(manager, caseId);
    const conflicted = userIds.filter((userId) => declarations.get(userId)?.hasConflict === true);
    if (conflicted.length === 0) return;
    throw new GuardFailedError(
      ErrorCode.ConflictOfInterest,
      'A team member declared a conflict of interest for this case',
      conflicted.map((userId) => ({ field: 'team', message: 'declared a conflict of interest', userId })),
    );
  }
}
