import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, type PageRequest, todayUtc, ValidationError } from '@app/common';
import { runUseCaseTransaction } from '@app/database';
import { DataSource } from 'typeorm';
import type {
  CreateEvidenceRequestDto,
  EvidenceRequestDto,
  EvidenceRequestPageDto,
} from '../dto/evidence-request.dto';
import { EvidenceRequestEntity } from '../entities/evidence-request.entity';
import { EvidenceAccessPolicy } from '../evidence-access.policy';
import { EvidenceCaseAccess } from '../evidence-case-access.service';
import { toEvidenceRequestDto } from '../evidence.mapper';
import { EvidenceRepository } from '../evidence.repository';

/** Raters ask for evidence on indicators by a due date; uploads after the request fulfil it. */
@Injectable()
export class EvidenceRequestsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly caseAccess: EvidenceCaseAccess,
    private readonly repository: EvidenceRepository,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, caseId: string, body: CreateEvidenceRequestDto): Promise<EvidenceRequestDto> {
    const snapshot = await this.caseAccess.findVisible(actor, caseId);
    EvidenceAccessPolicy.assertMayRequest(actor, snapshot);
    const today = todayUtc();
    if (body.dueOn < today) {
      throw new ValidationError('dueOn must not be in the past', [
        { field: 'dueOn', message: `must be ${today} or later` },
      ]);
    }
    return runUseCaseTransaction(this.dataSource, async (manager) => {
      const current = await this.caseAccess.lockVisible(manager, actor, caseId);
      EvidenceAccessPolicy.assertMayRequest(actor, current);
      await this.caseAccess.assertKnownIndicators(current.editionId, body.indicatorCodes, manager);
      const request = manager.getRepository(EvidenceRequestEntity).create({
        id: randomUUID(),
        caseId,
        indicatorCodes: body.indicatorCodes,
        description: body.description,
        dueOn: body.dueOn,
        requestedBy: actor.userId!,
        createdAt: new Date(),
      });
      await this.repository.insertRequest(manager, request);
      await this.audit.record(manager, actor, {
        entityType: 'evidence_request',
        entityId: request.id,
        caseId,
        action: 'evidence_request.created',
        data: { indicatorCodes: body.indicatorCodes, description: body.description, dueOn: body.dueOn },
      });
      return toEvidenceRequestDto(request, [], today);
    });
  }

  async list(actor: Actor, caseId: string, page: PageRequest): Promise<EvidenceRequestPageDto> {
    await this.caseAccess.findVisible(actor, caseId);
    const manager = this.repository.manager;
    const { items, total } = await this.repository.requestPage(manager, caseId, page);
    const fulfilments = await this.repository.fulfilmentsOf(
      manager,
      items.map((request) => request.id),
    );
    const today = todayUtc();
    return {
      items: items.map((request) => toEvidenceRequestDto(request, fulfilments.get(request.id) ?? [], today)),
      total,
      page: page.page,
      pageSize: page.pageSize,
    };
  }
}
