import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  type Actor,
  DomainError,
  ErrorCode,
  StaleVersionError,
  todayUtc,
  ValidationError,
} from '@app/common';
import { isLicenseValidOn, OrganizationEntity } from '@app/identity';
import { StandardsEditionEntity } from '@app/standards';
import { runUseCaseTransaction } from '@app/database';
import { DataSource, type EntityManager } from 'typeorm';
import { CaseQueriesService } from './case-queries.service';
import { CaseAccessService } from '../case-access.service';
import { CaseEditWindow } from '../case-edit-window';
import type { CaseType } from '../case-status';
import { GuardFailedError } from '../cases.errors';
import type { CreateCaseRequestDto, UpdateCaseRequestDto, CaseDto } from '../dto/case.dto';
import { CertificationCaseEntity } from '../entities/certification-case.entity';
import { assertEditionOpenFor } from '../transitions/case-guards';
import { TransitionGuardRegistry } from '../transitions/transition-guard.registry';

interface CaseChoice {
  editionId: string;
  certifierId: string;
  type: CaseType;
  certificateNumber: string | null;
}

/** Opening a case and editing it while it is a draft. */
@Injectable()
export class OpenCaseService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly audit: AuditService,
    private readonly queries: CaseQueriesService,
    private readonly registry: TransitionGuardRegistry,
  ) {}

  async create(actor: Actor, request: CreateCaseRequestDto): Promise<CaseDto> {
    if (actor.role !== 'institution_admin' || !actor.organizationId || !actor.userId) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'Only an institution admin opens a case for its institution',
      );
    }
    const choice: CaseChoice = {
      editionId: request.editionId,
      certifierId: request.certifierId,
      type: request.type,
      certificateNumber: request.certificateNumber ?? null,
    };
    const caseId = await this.dataSource.transaction(async (manager) => {
      await this.assertChoiceValid(manager, choice, actor.organizationId!);
      const created = await manager.getRepository(CertificationCaseEntity).save(
        manager.getRepository(CertificationCaseEntity).create({
          ...choice,
          status: 'draft',
          institutionId: actor.organizationId!,
          mission: null,
          submittedAt: null,
          statusChangedAt: new Date(),
          createdBy: actor.userId!,
        }),
      );
      await this.audit.record(manager, actor, {
        entityType: 'case',
        entityId: created.id,
        caseId: created.id,
        action: 'case.created',
        toStatus: 'draft',
        data: { ...choice },
      });
      return created.id;
    });
    return this.queries.get(actor, caseId);
  }

  async updateDraft(actor: Actor, caseId: string, request: UpdateCaseRequestDto): Promise<CaseDto> {
    const snapshot = await this.access.findVisible(actor, caseId);
    if (actor.role !== 'institution_admin' || actor.organizationId !== snapshot.institutionId) {
      throw new DomainError(ErrorCode.Forbidden, 'Only the institution admin edits its draft');
    }
    CaseEditWindow.assertOpen('case_scope', snapshot.status);
    await runUseCaseTransaction(this.dataSource, async (manager) => {
      const locked = await CaseEditWindow.lockForEdit(manager, caseId, 'case_scope', 'update');
      if (locked.version !== request.version) throw new StaleVersionError('Case', request.version);
      const row = await manager.getRepository(CertificationCaseEntity).findOneByOrFail({ id: caseId });
      const choice: CaseChoice = {
        editionId: request.editionId ?? row.editionId,
        certifierId: request.certifierId ?? row.certifierId,
        type: request.type ?? row.type,
        certificateNumber:
          request.certificateNumber !== undefined ? request.certificateNumber : row.certificateNumber,
      };
      await this.assertChoiceValid(manager, choice, row.institutionId);
      const result = await manager
        .createQueryBuilder()
        .update(CertificationCaseEntity)
        .set({ ...choice, version: () => 'version + 1', updatedAt: () => 'now()' })
        .where('id = :caseId AND version = :version AND status = :status', {
          caseId,
          version: request.version,
          status: 'draft',
        })
        .execute();
      if (result.affected !== 1) throw new StaleVersionError('Case', request.version);
      await this.audit.record(manager, actor, {
        entityType: 'case',
        entityId: caseId,
        caseId,
        action: 'case.updated',
        data: { ...choice, fromVersion: request.version },
      });
    });
    return this.queries.get(actor, caseId);
  }

  private async assertChoiceValid(
    manager: EntityManager,
    choice: CaseChoice,
    institutionId: string,
  ): Promise<void> {
    if (choice.type === 'certification' && choice.certificateNumber) {
      throw new ValidationError('An initial certification concerns no existing certificate', [
        { field: 'certificateNumber', message: 'must be omitted for type certification' },
      ]);
    }
    if (choice.type !== 'certification' && !choice.certificateNumber) {
      throw new ValidationError('A check-in or a renewal names the certificate it concerns', [
        { field: 'certificateNumber', message: `is required for type ${choice.type}` },
      ]);
    }
    const edition = await manager.getRepository(StandardsEditionEntity).findOneBy({ id: choice.editionId });
    if (!edition || edition.status !== 'published') {
      throw new GuardFailedError(ErrorCode.EditionNotPublished, `No published edition ${choice.editionId}`, [
        { field: 'editionId', message: 'must be a published edition' },
      ]);
    }
    const today = todayUtc();
    assertEditionOpenFor(edition, choice.type, today);
    for (const check of this.registry.choiceChecksFor())
      await check(manager, { ...choice, institutionId }, today);
    const certifier = await manager.getRepository(OrganizationEntity).findOneBy({ id: choice.certifierId });
    if (!certifier || certifier.kind !== 'certifier') {
      throw new GuardFailedError(
        ErrorCode.OrganizationNotCertifier,
        'The chosen organization is not a certification body',
        [{ field: 'certifierId', message: 'must be a certification body' }],
      );
    }
    if (!isLicenseValidOn(certifier, todayUtc())) {
      throw new GuardFailedError(
        ErrorCode.CertifierNotLicensed,
        `${certifier.name} holds no license valid today`,
        [{ field: 'certifierId', message: 'has no license valid today' }],
      );
    }
  }
}
