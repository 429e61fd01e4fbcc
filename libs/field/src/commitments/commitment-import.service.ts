import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, ForbiddenError, isCalendarDate, isSecretariat, todayUtc } from '@app/common';
import { OrganizationEntity } from '@app/identity';
import { DataSource, type EntityManager, In } from 'typeorm';
import { normalizeOrganizationName } from '../organization-name.util';
import { type ImportCandidate, markRepeatedKeys, planImport } from '../uploads/import-plan.util';
import { readTabularFile, type TabularRow } from '../uploads/tabular-file.reader';
import type { UploadedFile } from '../uploads/uploaded-file.reader';
import { COMMITMENT_WRITE_LOCK_KEY, LIVE_APPROVALS } from './commitments.service';
import type { ImportReportDto, ImportRowReportDto } from './dto/commitment.dto';
import { COMMITMENT_KINDS, CommitmentEntity, type CommitmentKind } from './entities/commitment.entity';

const KIND_SYNONYMS: Record<string, CommitmentKind> = {
  financial_institution: 'institution',
  fsp: 'institution',
  mfi: 'institution',
  certifier: 'certification_body',
  rating_agency: 'certification_body',
};

type CandidateRow = ImportCandidate<
  Pick<CommitmentEntity, 'name' | 'normalizedName' | 'country' | 'kind' | 'committedOn' | 'statement'>
>;

/**
 * The secretariat's bulk import of the historical signatory list (CSV or .xlsx, columns `name`,
 * `country`, `kind`, `committedOn`, `statement`): a dry run reports each row; applying writes every new
 * row or none. Duplicates (same normalized name and country, in the file or already listed — approved)
 * are skipped.
 */
@Injectable()
export class CommitmentImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async import(actor: Actor, file: UploadedFile, dryRun: boolean): Promise<ImportReportDto> {
    if (!isSecretariat(actor)) throw new ForbiddenError();
    const rows = await readTabularFile(file);
    return this.dataSource.transaction(async (manager) => {
      // Two imports at once would each miss the other's rows as duplicates.
      await manager.query('SELECT pg_advisory_xact_lock($1)', [COMMITMENT_WRITE_LOCK_KEY]);
      const candidates = rows.map((row) => this.check(row));
      const keys = candidates.flatMap((candidate) =>
        candidate.entry ? [candidate.entry.normalizedName] : [],
      );
      const listed = new Set(
        (
          await manager.getRepository(CommitmentEntity).find({
            // Only the public list counts: a pending self-declaration of the name is no duplicate (approving
            // it later is refused), a rejected entry none at all.
            where: { normalizedName: In([...new Set(keys)]), approval: 'approved' },
            select: { normalizedName: true, country: true },
          })
        ).map((entity) => `${entity.normalizedName}|${entity.country}`),
      );
      markRepeatedKeys(candidates, {
        keyOf: (entry) => `${entry.normalizedName}|${entry.country}`,
        taken: listed,
        takenProblem: 'already listed',
        thing: 'organization',
        outcome: 'duplicate',
      });
      const { report, toSave } = planImport(candidates, dryRun);
      if (dryRun) return report;
      const fresh = toSave.map((row) => row.entry);
      const organizations = await this.organizationsByKey(manager);
      const ids: string[] = [];
      for (let start = 0; start < fresh.length; start += 500) {
        const values = fresh.slice(start, start + 500).map((entry) => {
          const organization = organizations.get(`${entry.normalizedName}|${entry.country}`);
          return {
            ...entry,
            organizationId: organization && organization.kind === entry.kind ? organization.id : null,
            source: 'imported' as const,
            approval: 'approved' as const,
            approvalReason: null,
            pathwayStatus: entry.kind === 'institution' ? ('committed' as const) : null,
            remindersStartedOn: null,
          };
        });
        const inserted = await manager
          .createQueryBuilder()
          .insert()
          .into(CommitmentEntity)
          .values(values)
          .returning(['id'])
          .execute();
        ids.push(...(inserted.identifiers as { id: string }[]).map((identifier) => identifier.id));
      }
      await this.audit.record(manager, actor, {
        entityType: 'commitment_import',
        entityId: createHash('sha256').update(file.content).digest('hex'),
        action: 'commitment.imported',
        data: { fileName: file.fileName, counts: report.counts, commitmentIds: ids },
      });
      return report;
    });
  }

  private check(row: TabularRow): CandidateRow {
    const problems: string[] = [];
    const name = row.cells.name ?? '';
    const country = (row.cells.country ?? '').toUpperCase();
    const rawKind = (row.cells.kind ?? row.cells.type ?? '').toLowerCase().replace(/[\s-]+/g, '_');
    const kind = (COMMITMENT_KINDS as readonly string[]).includes(rawKind)
      ? (rawKind as CommitmentKind)
      : KIND_SYNONYMS[rawKind];
    const committedOn = row.cells.committedon ?? row.cells.date ?? '';
    const statement = row.cells.statement ?? '';
    const normalizedName = normalizeOrganizationName(name);
    if (name.length < 2 || normalizedName === '') problems.push('name is missing');
    if (name.length > 300) problems.push('name is longer than 300 characters');
    if (!/^[A-Z]{2}$/.test(country))
      problems.push(`country "${row.cells.country ?? ''}" is not an ISO 3166-1 alpha-2 code`);
    if (!kind) problems.push(`kind "${row.cells.kind ?? ''}" is not one of ${COMMITMENT_KINDS.join(', ')}`);
    if (!isCalendarDate(committedOn))
      problems.push(
        `committedOn "${row.cells.committedon ?? row.cells.date ?? ''}" is not a date written YYYY-MM-DD`,
      );
    else if (committedOn > todayUtc()) problems.push('committedOn is in the future');
    if (statement.length > 4000) problems.push('statement is longer than 4000 characters');
    const report: ImportRowReportDto = {
      line: row.line,
      outcome: problems.length ? 'invalid' : 'new',
      key: null,
      problems,
    };
    if (problems.length) return { report };
    return {
      report,
      entry: { name, normalizedName, country, kind, committedOn, statement: statement || null },
    };
  }

  private async organizationsByKey(
    manager: EntityManager,
  ): Promise<Map<string, { id: string; kind: CommitmentKind }>> {
    const organizations = await manager.getRepository(OrganizationEntity).find({
      where: { kind: In(['institution', 'certifier']) },
      select: { id: true, name: true, country: true, kind: true },
    });
    const taken = new Set(
      (
        await manager
          .getRepository(CommitmentEntity)
          .createQueryBuilder('commitment')
          .select('commitment.organization_id', 'id')
          .where('commitment.organization_id IS NOT NULL')
          .andWhere('commitment.approval IN (:...live)', { live: LIVE_APPROVALS })
          .getRawMany<{ id: string }>()
      ).map((row) => row.id),
    );
    return new Map(
      organizations
        .filter((organization) => !taken.has(organization.id))
        .map((organization) => [
          `${normalizeOrganizationName(organization.name)}|${organization.country}`,
          {
            id: organization.id,
            kind: organization.kind === 'institution' ? 'institution' : 'certification_body',
          },
        ]),
    );
  }
}
