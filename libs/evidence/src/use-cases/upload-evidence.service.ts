import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import type { Actor } from '@app/common';
import { runUseCaseTransaction } from '@app/database';
import { DataSource } from 'typeorm';
import type { EvidenceDto } from '../dto/evidence.dto';
import { EVIDENCE_UPLOAD_FIELD_NAMES } from '../dto/evidence-upload.dto';
import { EvidenceItemEntity } from '../entities/evidence-item.entity';
import { EvidenceVersionEntity } from '../entities/evidence-version.entity';
import { EvidenceAccessPolicy } from '../evidence-access.policy';
import { EvidenceCaseAccess } from '../evidence-case-access.service';
import { EvidenceFileReceiver } from '../evidence-file.receiver';
import { EvidenceQuota } from '../evidence-quota';
import { toEvidenceDto } from '../evidence.mapper';
import { EvidenceRepository } from '../evidence.repository';
import type { UploadSource } from '../multipart.reader';
import { parseCompleteUploadFields, parseUploadFields } from '../upload-fields.parser';

/** A new piece of evidence: its file streamed to storage, then its record, links and audit event. */
@Injectable()
export class UploadEvidenceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly caseAccess: EvidenceCaseAccess,
    private readonly receiver: EvidenceFileReceiver,
    private readonly repository: EvidenceRepository,
    private readonly audit: AuditService,
    private readonly quota: EvidenceQuota,
  ) {}

  async upload(actor: Actor, caseId: string, source: UploadSource): Promise<EvidenceDto> {
    const snapshot = await this.caseAccess.findVisible(actor, caseId);
    EvidenceAccessPolicy.assertMayUpload(actor, snapshot);
    const { fields, file } = await this.receiver.receive(source, {
      caseId,
      fieldNames: EVIDENCE_UPLOAD_FIELD_NAMES,
      checkFieldsBeforeFile: async (fieldsBefore) => {
        const { indicatorCodes } = parseUploadFields(fieldsBefore, false);
        if (indicatorCodes) await this.caseAccess.assertKnownIndicators(snapshot.editionId, indicatorCodes);
      },
    });
    try {
      const { title, description, indicatorCodes } = parseCompleteUploadFields(fields);
      return await runUseCaseTransaction(this.dataSource, async (manager) => {
        const current = await this.caseAccess.lockVisible(manager, actor, caseId);
        EvidenceAccessPolicy.assertMayUpload(actor, current);
        // The case row is locked: concurrent uploads of the case are counted one after the other.
        await this.quota.assertFits(manager, caseId, file.size);
        await this.caseAccess.assertKnownIndicators(current.editionId, indicatorCodes, manager);
        const item = manager.getRepository(EvidenceItemEntity).create({
          id: randomUUID(),
          caseId,
          title,
          description,
          version: 1,
          createdBy: actor.userId!,
          createdAt: new Date(),
          deletedAt: null,
          deletedBy: null,
        });
        const version = manager.getRepository(EvidenceVersionEntity).create({
          id: file.versionId,
          evidenceId: item.id,
          versionNumber: 1,
          storageKey: file.storageKey,
          fileName: file.fileName,
          contentType: file.contentType,
          size: String(file.size),
          sha256: file.sha256,
          uploadedBy: actor.userId!,
          uploadedAt: item.createdAt,
        });
        await this.repository.insertItem(manager, item, indicatorCodes);
        await this.repository.insertVersion(manager, version);
        const requestIds = await this.repository.linkToOpenRequests(
          manager,
          caseId,
          item.id,
          version.id,
          indicatorCodes,
        );
        await this.audit.record(manager, actor, {
          entityType: 'evidence',
          entityId: item.id,
          caseId,
          action: 'evidence.uploaded',
          data: {
            title,
            indicatorCodes,
            version: 1,
            versionId: version.id,
            fileName: file.fileName,
            contentType: file.contentType,
            size: file.size,
            sha256: file.sha256,
            fulfilledRequestIds: requestIds,
          },
        });
        return toEvidenceDto(item, version, indicatorCodes);
      });
    } catch (error) {
      await this.receiver.discard(file.storageKey);
      throw error;
    }
  }
}
