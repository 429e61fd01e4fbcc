import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, NotFoundError } from '@app/common';
import { runUseCaseTransaction } from '@app/database';
import { DataSource } from 'typeorm';
import { EvidenceAccessPolicy } from '../evidence-access.policy';
import { EvidenceCaseAccess } from '../evidence-case-access.service';
import { EvidenceRepository } from '../evidence.repository';

/** Hides a piece of evidence before the onsite visit; its bytes stay for the audit trail. */
@Injectable()
export class DeleteEvidenceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly caseAccess: EvidenceCaseAccess,
    private readonly repository: EvidenceRepository,
    private readonly audit: AuditService,
  ) {}

  async delete(actor: Actor, evidenceId: string): Promise<void> {
    await runUseCaseTransaction(this.dataSource, async (manager) => {
      const item = await this.repository.findActiveItem(manager, evidenceId, true);
      if (!item) throw new NotFoundError('Evidence');
      const snapshot = await this.caseAccess.lockVisible(manager, actor, item.caseId, 'Evidence');
      EvidenceAccessPolicy.assertMayDelete(
        actor,
        snapshot,
        await this.repository.isInstitutionsOwn(manager, item, snapshot.institutionId),
      );
      if (!(await this.repository.markDeleted(manager, evidenceId, actor.userId!))) {
        throw new NotFoundError('Evidence');
      }
      await this.audit.record(manager, actor, {
        entityType: 'evidence',
        entityId: evidenceId,
        caseId: item.caseId,
        action: 'evidence.deleted',
        data: { title: item.title, version: item.version, caseStatus: snapshot.status },
      });
    });
  }
}
