import { todayUtc } from '@app/common';
import type { EvidenceDto, EvidenceVersionDto } from './dto/evidence.dto';
import type { EvidenceRequestDto, EvidenceRequestFulfilmentDto } from './dto/evidence-request.dto';
import type { EvidenceItemEntity } from './entities/evidence-item.entity';
import type { EvidenceRequestEntity } from './entities/evidence-request.entity';
import type { EvidenceVersionEntity } from './entities/evidence-version.entity';

export function toEvidenceVersionDto(version: EvidenceVersionEntity): EvidenceVersionDto {
  return {
    id: version.id,
    evidenceId: version.evidenceId,
    version: version.versionNumber,
    fileName: version.fileName,
    contentType: version.contentType,
    size: Number(version.size),
    sha256: version.sha256,
    uploadedBy: version.uploadedBy,
    uploadedAt: version.uploadedAt.toISOString(),
  };
}

export function toEvidenceDto(
  item: EvidenceItemEntity,
  latest: EvidenceVersionEntity,
  indicatorCodes: string[],
): EvidenceDto {
  return {
    id: item.id,
    caseId: item.caseId,
    version: item.version,
    title: item.title,
    description: item.description,
    indicatorCodes: [...indicatorCodes].sort(compareIndicatorCodes),
    versionId: latest.id,
    fileName: latest.fileName,
    contentType: latest.contentType,
    size: Number(latest.size),
    sha256: latest.sha256,
    uploadedBy: latest.uploadedBy,
    uploadedAt: latest.uploadedAt.toISOString(),
    createdBy: item.createdBy,
    createdAt: item.createdAt.toISOString(),
  };
}

/** `2.1.10` after `2.1.9`: numeric segments compare as numbers. */
export function compareIndicatorCodes(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function toEvidenceRequestDto(
  request: EvidenceRequestEntity,
  fulfilments: EvidenceRequestFulfilmentDto[],
  today: string = todayUtc(),
): EvidenceRequestDto {
  const covered = new Set(fulfilments.flatMap((fulfilment) => fulfilment.indicatorCodes));
  const outstanding = request.indicatorCodes.filter((code) => !covered.has(code)).sort(compareIndicatorCodes);
  const status = outstanding.length === 0 ? 'fulfilled' : 'open';
  return {
    id: request.id,
    caseId: request.caseId,
    indicatorCodes: [...request.indicatorCodes].sort(compareIndicatorCodes),
    description: request.description,
    dueOn: request.dueOn,
    status,
    outstandingIndicatorCodes: outstanding,
    isOverdue: status === 'open' && request.dueOn < today,
    fulfilments,
    requestedBy: request.requestedBy,
    createdAt: request.createdAt.toISOString(),
  };
}
