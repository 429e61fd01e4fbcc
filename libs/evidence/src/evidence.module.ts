import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { StandardsModule } from '@app/standards';
import { EvidenceIndicatorEntity } from './entities/evidence-indicator.entity';
import { EvidenceItemEntity } from './entities/evidence-item.entity';
import { EvidenceRequestEntity } from './entities/evidence-request.entity';
import { EvidenceRequestFulfilmentEntity } from './entities/evidence-request-fulfilment.entity';
import { EvidenceVersionEntity } from './entities/evidence-version.entity';
import { EvidenceCaseAccess } from './evidence-case-access.service';
import { EvidenceFileReceiver } from './evidence-file.receiver';
import { EvidenceQuota } from './evidence-quota';
import { EvidenceRepository } from './evidence.repository';
import { AddEvidenceVersionService } from './use-cases/add-evidence-version.service';
import { DeleteEvidenceService } from './use-cases/delete-evidence.service';
import { EvidenceQueriesService } from './use-cases/evidence-queries.service';
import { EvidenceRequestsService } from './use-cases/evidence-requests.service';
import { OpenEvidenceContentService } from './use-cases/open-evidence-content.service';
import { UploadEvidenceService } from './use-cases/upload-evidence.service';

/** Evidence files of a case: streamed uploads, versions, indicator links, requests, downloads. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      EvidenceItemEntity,
      EvidenceIndicatorEntity,
      EvidenceVersionEntity,
      EvidenceRequestEntity,
      EvidenceRequestFulfilmentEntity,
    ]),
    AuditModule,
    CasesModule,
    StandardsModule,
  ],
  providers: [
    EvidenceCaseAccess,
    EvidenceFileReceiver,
    EvidenceQuota,
    EvidenceRepository,
    UploadEvidenceService,
    AddEvidenceVersionService,
    DeleteEvidenceService,
    EvidenceQueriesService,
    OpenEvidenceContentService,
    EvidenceRequestsService,
  ],
  exports: [
    UploadEvidenceService,
    AddEvidenceVersionService,
    DeleteEvidenceService,
    EvidenceQueriesService,
    OpenEvidenceContentService,
    EvidenceRequestsService,
  ],
})
export class EvidenceModule {}
