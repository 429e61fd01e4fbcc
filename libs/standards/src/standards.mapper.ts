import type { EditionSummaryDto } from './dto/edition.dto';
import type { StandardsEditionEntity } from './entities/standards-edition.entity';

export function toEditionSummaryDto(edition: StandardsEditionEntity): EditionSummaryDto {
  return {
    id: edition.id,
    title: edition.title,
    status: edition.status,
    effectiveFrom: edition.effectiveFrom,
    principleCount: edition.principleCount,
    standardCount: edition.standardCount,
    indicatorCount: edition.indicatorCount,
  };
}
