import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, NotFoundError } from '@app/common';
import { runUseCaseTransaction } from '@app/database';
import { DataSource } from 'typeorm';
import type { EvidenceVersionDto } from '../dto/evidence.dto';
import { EvidenceVersionEntity } from '../entities/evidence-version.entity';
import { EvidenceAccessPolicy } from '../evidence-access.policy';
import { EvidenceCaseAccess } from '../evidence-case-access.service';
import { EvidenceFileReceiver } from '../evidence-file.receiver';
import { EvidenceQuota } from '../evidence-quota';
import { toEvidenceVersionDto } from '../evidence.mapper';
import { EvidenceRepository } from '../evidence.repository';
import type { UploadSource } from '../multipart.reader';

/** A new version of a piece of evidence; the earlier versions stay. */
@Injectable()
export class AddEvidenceVersionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly caseAccess: EvidenceCaseAccess,
    private readonly receiver: EvidenceFileReceiver,
    private readonly repository: EvidenceRepository,
    private readonly audit: AuditService,
    private readonly quota: EvidenceQuota,
  ) {}

  async addVersion(actor: Actor, evidenceId: string, source: UploadSource): Promise<EvidenceVersionDto> {
    const item = await this.repository.findActiveItem(this.repository.manager, evidenceId);
    if (!item) throw new NotFoundError('Evidence');
    const snapshot = await this.caseAccess.findVisible(actor, item.caseId, 'Evidence');
    const isInstitutionsOwn = await this.repository.isInstitutionsOwn(
      this.repository.manager,
      item,
      snapshot.institutionId,
    );
    EvidenceAccessPolicy.assertMayAddVersion(actor, snapshot, isInstitutionsOwn);
    const { file } = await this.receiver.receive(source, { caseId: item.caseId, fieldNames: [] });
    try {
      return await runUseCaseTransaction(this.dataSource, async (manager) => {
        const current = await this.caseAccess.lockVisible(manager, actor, item.caseId, 'Evidence');
        EvidenceAccessPolicy.assertMayAddVersion(actor, current, isInstitutionsOwn);
        await this.quota.assertFits(manager, item.caseId, file.size);
        const versionNumber = await this.repository.claimNextVersionNumber(manager, evidenceId);
        if (versionNumber === null) throw new NotFoundError('Evidence');
        const version = manager.getRepository(EvidenceVersionEntity).create({
          id: file.versionId,
          evidenceId,
          versionNumber,
          storageKey: file.storageKey,
          fileName: file.fileName,
          contentType: file.contentType,
          size: String(file.size),
          sha256: file.sha256,
          uploadedBy: actor.userId!,
          uploadedAt: new Date(),
        });
        await this.repository.insertVersion(manager, version);
        const indicatorCodes =
          (await this.repository.indicatorCodesOf(manager, [evidenceId])).get(evidenceId) ?? [];
        const requestIds = await this.repository.linkToOpenRequests(
          manager,
          item.caseId,
          evidenceId,
          version.id,
          indicatorCodes,
        );
        await this.audit.record(manager, actor, {
          entityType: 'evidence',
          entityId: evidenceId,
          caseId: item.caseId,
          action: 'evidence.version_added',
          data: {
            version: versionNumber,
            versionId: version.id,
            fileName: file.fileName,
            contentType: file.contentType,
            size: file.size,
            sha256: file.sha256,
            fulfilledRequestIds: requestIds,
          },
        });
        return toEvidenceVersionDto(version);
      });
    } catch (error) {
      await this.receiver.discard(file.storageKey);
      throw error;
    }
  }
}
