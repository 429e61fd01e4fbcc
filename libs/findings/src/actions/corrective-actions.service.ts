import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  CaseAccessService,
  CaseEditWindow,
  CaseRelation,
  type CaseSnapshot,
  GuardFailedError,
  STATUSES_SHOWN_TO_INSTITUTION,
} from '@app/cases';
import { type Actor, ErrorCode, ForbiddenError, NotFoundError } from '@app/common';
import { runUseCaseTransaction } from '@app/database';
import { evidenceIdsNotInCase } from '@app/evidence';
import { StandardsService } from '@app/standards';
import { DataSource, type EntityManager, In } from 'typeorm';
import type {
  ActionVerificationRequestDto,
  CaseActionsDto,
  CorrectiveActionDto,
  CreateRecommendationRequestDto,
  UpdateActionRequestDto,
} from '../dto/corrective-action.dto';
import { ActionVerificationEntity } from '../entities/action-verification.entity';
import { CorrectiveActionCaseEntity } from '../entities/corrective-action-case.entity';
import { CorrectiveActionEntity, INSTITUTION_ACTION_STATUSES } from '../entities/corrective-action.entity';
import { updateAtVersion } from '../update-at-version.util';
import { toCorrectiveActionDto } from './corrective-action.mapper';
import { InstitutionActionView } from './institution-action-view';

/**
 * A case's action plan: the institution works on the actions (owner, due date, progress, evidence), the
 * raters of the case the action is worked in verify them. An action is worked in the latest case it
 * belongs to: its own, or the check-in or renewal it was carried into.
 */
@Injectable()
export class CorrectiveActionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly standards: StandardsService,
    private readonly audit: AuditService,
    private readonly institutionView: InstitutionActionView,
  ) {}

  async list(actor: Actor, caseId: string): Promise<CaseActionsDto> {
    const snapshot = await this.access.findVisible(actor, caseId);
    const links = await this.dataSource.getRepository(CorrectiveActionCaseEntity).findBy({ caseId });
    const actions = links.length
      ? await this.dataSource.getRepository(CorrectiveActionEntity).find({
          where: { id: In(links.map((link) => link.actionId)) },
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      : [];
    const shown = actions.filter((action) => this.isShownInCase(actor, snapshot, action));
    const recorded = shown.length
      ? await this.dataSource
          .getRepository(ActionVerificationEntity)
          .findBy({ caseId, actionId: In(shown.map((action) => action.id)) })
      : [];
    const visible = CaseRelation.isInstitutionUser(actor, snapshot)
      ? await this.institutionView.of(shown, recorded)
      : { actions: shown, verifications: recorded };
    return {
      caseId,
      items: visible.actions.map((action) =>
        toCorrectiveActionDto(
          action,
          visible.verifications.find((verification) => verification.actionId === action.id) ?? null,
          caseId,
        ),
      ),
    };
  }

  /** A recommendation for the next level, without a finding (raters on the team). */
  async createRecommendation(
    actor: Actor,
    caseId: string,
    request: CreateRecommendationRequestDto,
  ): Promise<CorrectiveActionDto> {
    const snapshot = await this.access.findVisible(actor, caseId);
    if (!CaseRelation.isOnMissionTeam(actor, snapshot))
      throw new ForbiddenError('Only raters on the team add recommendations to the action plan');
    CaseEditWindow.assertOpen('actions', snapshot.status);
    const codes = [...new Set(request.indicatorCodes ?? [])];
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
    const action = await runUseCaseTransaction(this.dataSource, async (manager) => {
      await CaseEditWindow.lockForEdit(manager, caseId, 'actions');
      const saved = await manager.getRepository(CorrectiveActionEntity).save(
        manager.getRepository(CorrectiveActionEntity).create({
          caseId,
          findingId: null,
          indicatorCodes: codes,
          description: request.description,
          ownerName: request.ownerName ?? null,
          dueOn: request.dueOn ?? null,
          status: 'open',
          createdBy: actor.userId!,
        }),
      );
      await manager.getRepository(CorrectiveActionCaseEntity).insert({ actionId: saved.id, caseId });
      await this.audit.record(manager, actor, {
        entityType: 'corrective_action',
        entityId: saved.id,
        caseId,
        action: 'action.recommended',
        data: { indicatorCodes: codes, ownerName: saved.ownerName, dueOn: saved.dueOn },
      });
      return saved;
    });
    return toCorrectiveActionDto(action, null, caseId);
  }

  async update(
    actor: Actor,
    actionId: string,
    request: UpdateActionRequestDto,
  ): Promise<CorrectiveActionDto> {
    const { action, snapshot } = await this.findWorkable(actor, actionId);
    const isInstitution = CaseRelation.isInstitutionUser(actor, snapshot);
    if (!isInstitution && !CaseRelation.isOnMissionTeam(actor, snapshot))
      throw new ForbiddenError('Only the institution and the raters of the case update its actions');
    if (request.status !== undefined) {
      if (!(INSTITUTION_ACTION_STATUSES as readonly string[]).includes(request.status))
        throw new ForbiddenError('Actions are verified by the raters through their verification');
      if (!isInstitution) throw new ForbiddenError('The institution reports the progress of its actions');
      if (action.status === 'verified') throw new ForbiddenError('A verified action is closed');
    }
    CaseEditWindow.assertOpen('actions', snapshot.status);
    const changes: Partial<CorrectiveActionEntity> = {};
    if (request.status !== undefined) changes.status = request.status;
    if (request.ownerName !== undefined) changes.ownerName = request.ownerName;
    if (request.dueOn !== undefined) changes.dueOn = request.dueOn;
    if (request.note !== undefined) changes.note = request.note;
    if (request.evidenceIds !== undefined) changes.evidenceIds = [...new Set(request.evidenceIds)];
    await runUseCaseTransaction(this.dataSource, async (manager) => {
      await CaseEditWindow.lockForEdit(manager, snapshot.id, 'actions');
      if (changes.evidenceIds) await this.assertEvidenceOfCase(manager, snapshot.id, changes.evidenceIds);
      await updateAtVersion(
        manager,
        CorrectiveActionEntity,
        'Corrective action',
        actionId,
        request.version,
        changes,
      );
      await this.audit.record(manager, actor, {
        entityType: 'corrective_action',
        entityId: actionId,
        caseId: snapshot.id,
        action: 'action.updated',
        data: { changes, fromVersion: request.version },
      });
    });
    return this.read(actionId, snapshot.id, isInstitution);
  }

  async verify(
    actor: Actor,
    actionId: string,
    request: ActionVerificationRequestDto,
  ): Promise<CorrectiveActionDto> {
    const { snapshot } = await this.findWorkable(actor, actionId);
    if (!CaseRelation.isOnMissionTeam(actor, snapshot))
      throw new ForbiddenError('Only raters on the team of the case verify its actions');
    CaseEditWindow.assertOpen('action_verifications', snapshot.status);
    await runUseCaseTransaction(this.dataSource, async (manager) => {
      await CaseEditWindow.lockForEdit(manager, snapshot.id, 'action_verifications');
      await manager.query(
        `INSERT INTO action_verification (action_id, case_id, result, note, verified_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (action_id, case_id)
         DO UPDATE SET result = EXCLUDED.result, note = EXCLUDED.note,
                       verified_by = EXCLUDED.verified_by, verified_at = now()`,
        [actionId, snapshot.id, request.result, request.note, actor.userId],
      );
      await manager
        .getRepository(CorrectiveActionEntity)
        .update(
          { id: actionId },
          { status: request.result, version: () => 'version + 1', updatedAt: () => 'now()' },
        );
      await this.audit.record(manager, actor, {
        entityType: 'corrective_action',
        entityId: actionId,
        caseId: snapshot.id,
        action: 'action.verification_recorded',
        data: { result: request.result, note: request.note },
      });
    });
    return this.read(actionId, snapshot.id, false);
  }

  /** The action as listed in the case; for the institution, as `InstitutionActionView` shows it. */
  private async read(actionId: string, caseId: string, isInstitution: boolean): Promise<CorrectiveActionDto> {
    const action = await this.dataSource
      .getRepository(CorrectiveActionEntity)
      .findOneByOrFail({ id: actionId });
    const verification = await this.dataSource
      .getRepository(ActionVerificationEntity)
      .findOneBy({ actionId, caseId });
    if (!isInstitution) return toCorrectiveActionDto(action, verification, caseId);
    const visible = await this.institutionView.of([action], verification ? [verification] : []);
    return toCorrectiveActionDto(visible.actions[0], visible.verifications[0] ?? null, caseId);
  }

  /** The action and the case it is worked in now, as the caller may see them (404 otherwise). */
  private async findWorkable(
    actor: Actor,
    actionId: string,
  ): Promise<{ action: CorrectiveActionEntity; snapshot: CaseSnapshot }> {
    const action = await this.dataSource.getRepository(CorrectiveActionEntity).findOneBy({ id: actionId });
    if (!action) throw new NotFoundError('Corrective action');
    const link = await this.dataSource
      .getRepository(CorrectiveActionCaseEntity)
      .findOne({ where: { actionId }, order: { addedAt: 'DESC' } });
    const snapshot = link ? await this.access.load(link.caseId) : null;
    if (!snapshot || !this.access.canSee(actor, snapshot) || !this.isShownInCase(actor, snapshot, action))
      throw new NotFoundError('Corrective action');
    return { action, snapshot };
  }

  /**
   * The institution sees a case's own actions once findings are issued, and actions carried in always (their
   * verifications in this case only once findings are issued: `InstitutionActionView`).
   */
  private isShownInCase(actor: Actor, snapshot: CaseSnapshot, action: CorrectiveActionEntity): boolean {
    if (!CaseRelation.isInstitutionUser(actor, snapshot)) return true;
    return action.caseId !== snapshot.id || STATUSES_SHOWN_TO_INSTITUTION.includes(snapshot.status);
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
        'Actions may only cite evidence of the case they are worked in',
        foreign.map((id) => ({
          field: `evidenceIds[${evidenceIds.indexOf(id)}]`,
          message: `${id} is not evidence of this case`,
        })),
      );
    }
  }
}
