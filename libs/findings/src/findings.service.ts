import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  CaseAccessService,
  CaseEditWindow,
  CaseRelation,
  type CaseSnapshot,
  STATUSES_SHOWN_TO_INSTITUTION,
  GuardFailedError,
} from '@app/cases';
import {
  type Actor,
  ErrorCode,
  ForbiddenError,
  NotFoundError,
  type Page,
  type PageRequest,
  pageOffset,
} from '@app/common';
import { runUseCaseTransaction } from '@app/database';
import { evidenceIdsNotInCase } from '@app/evidence';
import { StandardsService } from '@app/standards';
import { DataSource, type EntityManager, In } from 'typeorm';
import type {
  CreateFindingRequestDto,
  FindingDto,
  FindingResolutionRequestDto,
  FindingResponseRequestDto,
  UpdateFindingRequestDto,
} from './dto/finding.dto';
import { ActionPlanCarrier } from './actions/action-plan.carrier';
import { CorrectiveActionEntity } from './entities/corrective-action.entity';
import { FindingResponseEntity } from './entities/finding-response.entity';
import { FindingEntity } from './entities/finding.entity';
import { updateAtVersion } from './update-at-version.util';

function toFindingDto(finding: FindingEntity, responses: FindingResponseEntity[]): FindingDto {
  return {
    id: finding.id,
    caseId: finding.caseId,
    indicatorCodes: finding.indicatorCodes,
    severity: finding.severity,
    description: finding.description,
    recommendation: finding.recommendation,
    correctiveActionDueOn: finding.correctiveActionDueOn,
    status: finding.status,
    resolutionNote: finding.resolutionNote,
    responses: responses.map((response) => ({
      id: response.id,
      text: response.text,
      evidenceIds: response.evidenceIds,
      respondedBy: response.respondedBy,
      respondedAt: response.respondedAt.toISOString(),
    })),
    version: finding.version,
    createdBy: finding.createdBy,
    createdAt: finding.createdAt.toISOString(),
    updatedAt: finding.updatedAt.toISOString(),
  };
}

/** Findings of the mission team, the institution's responses and the raters' resolution. */
@Injectable()
export class FindingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly standards: StandardsService,
    private readonly audit: AuditService,
    private readonly actionPlan: ActionPlanCarrier,
  ) {}

  async create(actor: Actor, caseId: string, request: CreateFindingRequestDto): Promise<FindingDto> {
    const snapshot = await this.findForRaters(actor, caseId);
    await this.assertKnownCodes(snapshot, request.indicatorCodes);
    const finding = await runUseCaseTransaction(this.dataSource, async (manager) => {
      await CaseEditWindow.lockForEdit(manager, caseId, 'findings');
      const saved = await manager.getRepository(FindingEntity).save(
        manager.getRepository(FindingEntity).create({
          caseId,
          indicatorCodes: [...new Set(request.indicatorCodes)],
          severity: request.severity,
          description: request.description,
          recommendation: request.recommendation,
          correctiveActionDueOn: request.correctiveActionDueOn ?? null,
          status: 'open',
          createdBy: actor.userId!,
        }),
      );
      await this.audit.record(manager, actor, {
        entityType: 'finding',
        entityId: saved.id,
        caseId,
        action: 'finding.created',
        data: { indicatorCodes: saved.indicatorCodes, severity: saved.severity },
      });
      // Every finding becomes a corrective action of the case's action plan.
      await this.actionPlan.createForFinding(manager, actor, saved);
      return saved;
    });
    return toFindingDto(finding, []);
  }

  async list(actor: Actor, caseId: string, page: PageRequest): Promise<Page<FindingDto>> {
    const snapshot = await this.access.findVisible(actor, caseId);
    this.assertVisibleToCaller(actor, snapshot);
    const [findings, total] = await this.dataSource.getRepository(FindingEntity).findAndCount({
      where: { caseId },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
    const responses = findings.length
      ? await this.dataSource.getRepository(FindingResponseEntity).find({
          where: { findingId: In(findings.map((finding) => finding.id)) },
          order: { respondedAt: 'ASC' },
        })
      : [];
    return {
      items: findings.map((finding) =>
        toFindingDto(
          finding,
          responses.filter((response) => response.findingId === finding.id),
        ),
      ),
      total,
      page: page.page,
      pageSize: page.pageSize,
    };
  }

  async update(actor: Actor, findingId: string, request: UpdateFindingRequestDto): Promise<FindingDto> {
    const finding = await this.findFinding(actor, findingId);
    const snapshot = await this.findForRaters(actor, finding.caseId);
    if (request.indicatorCodes) await this.assertKnownCodes(snapshot, request.indicatorCodes);
    const changes: Partial<FindingEntity> = {};
    if (request.indicatorCodes) changes.indicatorCodes = [...new Set(request.indicatorCodes)];
    if (request.severity) changes.severity = request.severity;
    if (request.description) changes.description = request.description;
    if (request.recommendation) changes.recommendation = request.recommendation;
    if (request.correctiveActionDueOn) changes.correctiveActionDueOn = request.correctiveActionDueOn;
    await runUseCaseTransaction(this.dataSource, async (manager) => {
      await CaseEditWindow.lockForEdit(manager, finding.caseId, 'findings');
      await updateAtVersion(manager, FindingEntity, 'Finding', findingId, request.version, changes);
      // The action follows the finding while nobody has started on it.
      const follow: Partial<CorrectiveActionEntity> = {};
      if (changes.correctiveActionDueOn) follow.dueOn = changes.correctiveActionDueOn;
      if (changes.recommendation) follow.description = changes.recommendation;
      if (changes.indicatorCodes) follow.indicatorCodes = changes.indicatorCodes;
      if (Object.keys(follow).length > 0) {
        await manager
          .getRepository(CorrectiveActionEntity)
          .update({ findingId, status: 'open' }, { ...follow, version: () => 'version + 1' });
      }
      await this.audit.record(manager, actor, {
        entityType: 'finding',
        entityId: findingId,
        caseId: finding.caseId,
        action: 'finding.updated',
        data: { changes, fromVersion: request.version },
      });
    });
    return this.read(findingId);
  }

  async respond(actor: Actor, findingId: string, request: FindingResponseRequestDto): Promise<FindingDto> {
    const finding = await this.findFinding(actor, findingId);
    const snapshot = await this.access.findVisible(actor, finding.caseId);
    if (!CaseRelation.isInstitutionUser(actor, snapshot))
      throw new ForbiddenError('Only the institution answers findings');
    CaseEditWindow.assertOpen('finding_responses', snapshot.status);
    await runUseCaseTransaction(this.dataSource, async (manager) => {
      await CaseEditWindow.lockForEdit(manager, finding.caseId, 'finding_responses');
      await this.assertEvidenceOfCase(manager, finding.caseId, request.evidenceIds ?? []);
      const saved = await manager.getRepository(FindingResponseEntity).save(
        manager.getRepository(FindingResponseEntity).create({
          findingId,
          text: request.text,
          evidenceIds: request.evidenceIds ?? [],
          respondedBy: actor.userId!,
        }),
      );
      await this.audit.record(manager, actor, {
        entityType: 'finding',
        entityId: findingId,
        caseId: finding.caseId,
        action: 'finding.responded',
        data: { responseId: saved.id, evidenceIds: saved.evidenceIds },
      });
    });
    return this.read(findingId);
  }

  async resolve(actor: Actor, findingId: string, request: FindingResolutionRequestDto): Promise<FindingDto> {
    const finding = await this.findFinding(actor, findingId);
    const snapshot = await this.access.findVisible(actor, finding.caseId);
    if (!CaseRelation.isOnMissionTeam(actor, snapshot))
      throw new ForbiddenError('Only raters on the team resolve findings');
    CaseEditWindow.assertOpen('finding_resolutions', snapshot.status);
    await runUseCaseTransaction(this.dataSource, async (manager) => {
      await CaseEditWindow.lockForEdit(manager, finding.caseId, 'finding_resolutions');
      await manager.getRepository(FindingEntity).update(
        { id: findingId },
        {
          status: request.status,
          resolutionNote: request.note,
          resolvedBy: actor.userId,
          resolvedAt: new Date(),
          version: () => 'version + 1',
        },
      );
      await this.audit.record(manager, actor, {
        entityType: 'finding',
        entityId: findingId,
        caseId: finding.caseId,
        action: 'finding.resolution_recorded',
        data: { status: request.status, note: request.note },
      });
    });
    return this.read(findingId);
  }

  private async read(findingId: string): Promise<FindingDto> {
    const finding = await this.dataSource.getRepository(FindingEntity).findOneByOrFail({ id: findingId });
    const responses = await this.dataSource
      .getRepository(FindingResponseEntity)
      .find({ where: { findingId }, order: { respondedAt: 'ASC' } });
    return toFindingDto(finding, responses);
  }

  private async findFinding(actor: Actor, findingId: string): Promise<FindingEntity> {
    const finding = await this.dataSource.getRepository(FindingEntity).findOneBy({ id: findingId });
    if (!finding) throw new NotFoundError('Finding');
    const snapshot = await this.access.load(finding.caseId);
    if (!snapshot || !this.access.canSee(actor, snapshot)) throw new NotFoundError('Finding');
    this.assertVisibleToCaller(actor, snapshot);
    return finding;
  }

  private async findForRaters(actor: Actor, caseId: string): Promise<CaseSnapshot> {
    const snapshot = await this.access.findVisible(actor, caseId);
    if (!CaseRelation.isOnMissionTeam(actor, snapshot))
      throw new ForbiddenError('Only raters on the team record findings');
    CaseEditWindow.assertOpen('findings', snapshot.status);
    return snapshot;
  }

  private assertVisibleToCaller(actor: Actor, snapshot: CaseSnapshot): void {
    if (
      CaseRelation.isInstitutionUser(actor, snapshot) &&
      !STATUSES_SHOWN_TO_INSTITUTION.includes(snapshot.status)
    ) {
      throw new NotFoundError('Finding');
    }
  }

  private async assertKnownCodes(snapshot: CaseSnapshot, codes: string[]): Promise<void> {
    const unknown = await this.standards.findUnknownIndicatorCodes(snapshot.editionId, codes);
    if (unknown.length > 0) {
      throw new GuardFailedError(
        ErrorCode.UnknownIndicatorCodes,
        `Not indicators of the case edition: ${unknown.join(', ')}`,
        unknown.map((code) => ({
          field: `indicatorCodes[${codes.indexOf(code)}]`,
          message: `${code} is not an indicator of this edition`,
        })),
      );
    }
  }

  private async assertEvidenceOfCase(
    manager: EntityManager,
    caseId: string,
    evidenceIds: string[],
  ): Promise<void> {
    const foreign = await evidenceIdsNotInCase(manager, caseId, evidenceIds);
    if (foreign.length > 0) {
      throw new GuardFailedError(
        ErrorCode.EvidenceNotInCase,
        'Responses may only cite evidence of the same case',
        foreign.map((id) => ({
          field: `evidenceIds[${evidenceIds.indexOf(id)}]`,
          message: `${id} is not evidence of this case`,
        })),
      );
    }
  }
}
