import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { type Actor, NotFoundError } from '@app/common';
import { EvidenceStorage, MAX_PRESIGNED_URL_SECONDS } from '@app/storage';
import type { EvidenceContentQueryDto } from '../dto/evidence.dto';
import { EvidenceCaseAccess } from '../evidence-case-access.service';
import { EvidenceRepository } from '../evidence.repository';

/** How the bytes of one version reach the client. */
export type EvidenceContent =
  | { kind: 'redirect'; url: string; expiresSeconds: number }
  | { kind: 'stream'; body: Readable; fileName: string; contentType: string; size: number; sha256: string };

/** Authorised download of a version's bytes: streamed, or a presigned URL of at most 5 minutes (S3). */
@Injectable()
export class OpenEvidenceContentService {
  constructor(
    private readonly caseAccess: EvidenceCaseAccess,
    private readonly repository: EvidenceRepository,
    private readonly storage: EvidenceStorage,
  ) {}

  async open(actor: Actor, evidenceId: string, query: EvidenceContentQueryDto): Promise<EvidenceContent> {
    const manager = this.repository.manager;
    const item = await this.repository.findActiveItem(manager, evidenceId);
    if (!item) throw new NotFoundError('Evidence');
    await this.caseAccess.findVisible(actor, item.caseId, 'Evidence');
    const version = await this.repository.findVersion(manager, evidenceId, query.version ?? item.version);
    if (!version) throw new NotFoundError('Evidence version');
    if (query.delivery === 'redirect' && this.storage.presignedDownloadUrl) {
      const url = await this.storage.presignedDownloadUrl(version.storageKey, {
        fileName: version.fileName,
        contentType: version.contentType,
        expiresSeconds: MAX_PRESIGNED_URL_SECONDS,
      });
      return { kind: 'redirect', url, expiresSeconds: MAX_PRESIGNED_URL_SECONDS };
    }
    return {
      kind: 'stream',
      body: await this.storage.get(version.storageKey),
      fileName: version.fileName,
      contentType: version.contentType,
      size: Number(version.size),
      sha256: version.sha256,
    };
  }
}
