import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, ForbiddenError, StaleVersionError, ValidationError } from '@app/common';
import { runUseCaseTransaction } from '@app/database';
import { DataSource } from 'typeorm';
import { CaseQueriesService } from './case-queries.service';
import { CaseAccessService, CaseRelation } from '../case-access.service';
import { CaseEditWindow } from '../case-edit-window';
import type { MissionRequestDto, CaseDto } from '../dto/case.dto';
import { CertificationCaseEntity, type MissionDetails } from '../entities/certification-case.entity';

/** The onsite mission's dates, branches and interviews, kept by the lead rater. */
@Injectable()
export class MissionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly audit: AuditService,
    private readonly queries: CaseQueriesService,
  ) {}

  async setMission(actor: Actor, caseId: string, request: MissionRequestDto): Promise<CaseDto> {
    const snapshot = await this.access.findVisible(actor, caseId);
    if (!CaseRelation.isLeadRater(actor, snapshot))
      throw new ForbiddenError('Only the lead rater plans the mission');
    CaseEditWindow.assertOpen('mission', snapshot.status);
    if (request.endsOn < request.startsOn) {
      throw new ValidationError('The mission ends before it starts', [
        { field: 'endsOn', message: 'must not be before startsOn' },
      ]);
    }
    const branchesVisited = request.branchesVisited.map((branch) => branch.trim());
    const branches = (request.branches ?? []).map(({ name, interviews, focusGroups }) => ({
      name: name.trim(),
      interviews,
      focusGroups,
    }));
    const branchProblems = branches.flatMap((branch, index) => [
      ...(branchesVisited.includes(branch.name)
        ? []
        : [{ field: `branches[${index}].name`, message: 'must be one of branchesVisited' }]),
      ...(branches.findIndex((other) => other.name === branch.name) < index
        ? [{ field: `branches[${index}].name`, message: 'is listed twice' }]
        : []),
    ]);
    if (branchProblems.length > 0) {
      throw new ValidationError('The branch counts do not match the branches visited', branchProblems);
    }
    const mission: MissionDetails = {
      startsOn: request.startsOn,
      endsOn: request.endsOn,
      branchesVisited,
      interviews: { ...request.interviews },
      branches,
    };
    await runUseCaseTransaction(this.dataSource, async (manager) => {
      const locked = await CaseEditWindow.lockForEdit(manager, caseId, 'mission', 'update');
      if (locked.version !== request.version) throw new StaleVersionError('Case', request.version);
      const result = await manager
        .createQueryBuilder()
        .update(CertificationCaseEntity)
        .set({ mission, version: () => 'version + 1', updatedAt: () => 'now()' })
        .where('id = :caseId AND version = :version', { caseId, version: request.version })
        .execute();
      if (result.affected !== 1) throw new StaleVersionError('Case', request.version);
      await this.audit.record(manager, actor, {
        entityType: 'case',
        entityId: caseId,
        caseId,
        action: 'case.mission_set',
        data: { ...mission },
      });
    });
    return this.queries.get(actor, caseId);
  }
}
