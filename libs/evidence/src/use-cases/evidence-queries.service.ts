import { Injectable } from '@nestjs/common';
import { type Actor, NotFoundError } from '@app/common';
import type { EvidenceDetailDto, EvidencePageDto, ListEvidenceQueryDto } from '../dto/evidence.dto';
import { EvidenceCaseAccess } from '../evidence-case-access.service';
import { toEvidenceDto, toEvidenceVersionDto } from '../evidence.mapper';
import { EvidenceRepository } from '../evidence.repository';

/** Reading evidence: anyone who sees the case sees its evidence that is not deleted. */
@Injectable()
export class EvidenceQueriesService {
  constructor(
    private readonly caseAccess: EvidenceCaseAccess,
    private readonly repository: EvidenceRepository,
  ) {}

  /** The latest version of each piece of evidence, newest first, optionally for one indicator. */
  async list(actor: Actor, caseId: string, query: ListEvidenceQueryDto): Promise<EvidencePageDto> {
    await this.caseAccess.findVisible(actor, caseId);
    const { items, total } = await this.repository.listLatest(
      this.repository.manager,
      caseId,
      query.indicatorCode,
      query,
    );
    return {
      items: items.map(({ item, latest, indicatorCodes }) => toEvidenceDto(item, latest, indicatorCodes)),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** One piece of evidence with all its versions, oldest first. */
  async get(actor: Actor, evidenceId: string): Promise<EvidenceDetailDto> {
    const manager = this.repository.manager;
    const item = await this.repository.findActiveItem(manager, evidenceId);
    if (!item) throw new NotFoundError('Evidence');
    await this.caseAccess.findVisible(actor, item.caseId, 'Evidence');
    const versions = await this.repository.versionsOf(manager, evidenceId);
    const latest =
      versions.find((version) => version.versionNumber === item.version) ?? versions[versions.length - 1];
    const codes = (await this.repository.indicatorCodesOf(manager, [evidenceId])).get(evidenceId) ?? [];
    return { ...toEvidenceDto(item, latest, codes), versions: versions.map(toEvidenceVersionDto) };
  }
}
