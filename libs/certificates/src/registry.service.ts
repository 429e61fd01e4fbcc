import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { NotFoundError, type Page, pageOffset } from '@app/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { RegistryEntryDto, RegistryQueryDto, VerificationDto } from './dto/certificate.dto';
import {
  CertificateEntity,
  type CertificateOrigin,
  type CertificateStatus,
} from './entities/certificate.entity';
import { RegistryCache } from './registry-cache';
import { RegistryCacheInvalidator } from './registry-cache.subscriber';

// An active certificate past its validity reads expired, also before the expiry job has run.
const TODAY = "(now() AT TIME ZONE 'UTC')::date";
const EFFECTIVE_STATUS = `CASE WHEN certificate.status = 'active' AND certificate.valid_until < ${TODAY}
  THEN 'expired' ELSE certificate.status END`;

// `EFFECTIVE_STATUS = :status`, written so that the indexes on the stored status serve it.
const STATUS_FILTERS: Record<CertificateStatus, [string, Record<string, string>?]> = {
  active: [`certificate.status = 'active' AND certificate.valid_until >= ${TODAY}`],
  expired: [
    `(certificate.status = 'expired' OR (certificate.status = 'active' AND certificate.valid_until < ${TODAY}))`,
  ],
  suspended: ['certificate.status = :status', { status: 'suspended' }],
  revoked: ['certificate.status = :status', { status: 'revoked' }],
  superseded: ['certificate.status = :status', { status: 'superseded' }],
};

const SORTS: Record<string, [string, 'ASC' | 'DESC']> = {
  issuedOn: ['certificate.issued_on', 'ASC'],
  '-issuedOn': ['certificate.issued_on', 'DESC'],
  name: ['certificate.holder_name', 'ASC'],
  '-name': ['certificate.holder_name', 'DESC'],
  validUntil: ['certificate.valid_until', 'ASC'],
  '-validUntil': ['certificate.valid_until', 'DESC'],
};

/** RFC 4180 quoting; a leading =, +, - or @ is neutralised so that spreadsheets do not run it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

interface RegistryRow {
  number: string;
  institution_name: string;
  institution_country: string;
  certifier_name: string;
  edition_id: string;
  level: string | null;
  decided_on: string;
  issued_on: string;
  published_on: string;
  check_in_due_on: string | null;
  check_in_overdue: boolean;
  valid_until: string;
  effective_status: CertificateStatus;
  package_sha256: string | null;
  origin: CertificateOrigin;
}

export interface RegistryFacets {
  countries: string[];
  certifiers: string[];
}

/** The public registry of certificates and verification by number; results of failed cases never appear. */
@Injectable()
export class RegistryService {
  private readonly cache = new RegistryCache();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    dataSource.subscribers.push(new RegistryCacheInvalidator(this.cache));
  }

  /** Drops every cached registry result: another process changed certificates or organizations. */
  clearCache(): void {
    this.cache.clear();
  }

  /** A page of the registry; what was read in the last few seconds is answered from memory. */
  search(query: RegistryQueryDto): Promise<Page<RegistryEntryDto>> {
    const key = JSON.stringify([
      query.q,
      query.country?.toUpperCase(),
      query.certifier,
      query.level,
      query.status ?? 'active',
      query.sort ?? '-issuedOn',
      query.page,
      query.pageSize,
    ]);
    return this.cache.remember(`search:${key}`, () => this.readPage(query));
  }

  /**
   * Something built from registry data only (a rendered page), kept in memory beside the results it is
   * built from and dropped with them whenever certificates or organizations change, in any process.
   * `key` must name everything the result depends on.
   */
  remember<T>(key: readonly unknown[], build: () => Promise<T>): Promise<T> {
    return this.cache.remember(`derived:${JSON.stringify(key)}`, build);
  }

  private async readPage(query: RegistryQueryDto): Promise<Page<RegistryEntryDto>> {
    const [column, direction] = SORTS[query.sort ?? '-issuedOn'];
    // One round trip: the page and, on each of its rows, the number of matches.
    const rows = await this.filtered(query)
      .addSelect('count(*) OVER ()', 'total')
      .orderBy(column, direction)
      .addOrderBy('certificate.number', 'ASC')
      .offset(pageOffset(query))
      .limit(query.pageSize)
      .getRawMany<RegistryRow & { total: string }>();
    // Past the last page no row carries the total.
    const total =
      rows.length > 0 ? Number(rows[0].total) : query.page > 1 ? await this.filtered(query).getCount() : 0;
    return { items: rows.map((row) => this.toEntry(row)), total, page: query.page, pageSize: query.pageSize };
  }

  /** The registry as CSV (every matching row, up to 100,000), with the filters of `search`. */
  async exportCsv(query: RegistryQueryDto): Promise<string> {
    const header = [
      'certificateNumber',
      'institution',
      'country',
      'certifier',
      'edition',
      'level',
      'issuedOn',
      'checkInDueOn',
      'validUntil',
      'status',
      'decidedOn',
      'publishedOn',
      'checkInOverdue',
      'origin',
    ];
    const rows: string[] = [header.join(',')];
    const pageSize = 1000;
    for (let page = 1; page <= 100; page += 1) {
      const result = await this.readPage({ ...query, page, pageSize });
      for (const entry of result.items) {
        rows.push(
          [
            entry.certificateNumber,
            entry.holder.name,
            entry.holder.country,
            entry.certifier.name,
            entry.edition,
            entry.level ?? '',
            entry.issuedOn,
            entry.checkInDueOn ?? '',
            entry.validUntil,
            entry.status,
            entry.decidedOn,
            entry.publishedOn,
            String(entry.checkInOverdue),
            entry.origin,
          ]
            .map(csvField)
            .join(','),
        );
      }
      if (page * pageSize >= result.total) break;
    }
    return `${rows.join('\r\n')}\r\n`;
  }

  /** The countries (ISO codes) and certification bodies (names) that appear on certificates, sorted. */
  facets(): Promise<RegistryFacets> {
    return this.cache.remember('facets', () => this.readFacets());
  }

  private async readFacets(): Promise<RegistryFacets> {
    const rows = await this.dataSource.query<{ facet: 'country' | 'certifier'; value: string }[]>(
      `SELECT DISTINCT 'country' AS facet, holder_country AS value FROM certificate
       UNION
       SELECT 'certifier', organization.name FROM organization
         WHERE EXISTS (SELECT 1 FROM certificate WHERE certificate.certifier_id = organization.id)
       UNION
       SELECT 'certifier', certifier_name FROM certificate WHERE certifier_name IS NOT NULL
       ORDER BY 1, 2`,
    );
    const values = (facet: string) => rows.filter((row) => row.facet === facet).map((row) => row.value);
    return { countries: values('country'), certifiers: values('certifier') };
  }

  async verify(number: string): Promise<VerificationDto> {
    const row = await this.base()
      .andWhere('certificate.number = :number', { number })
      .getRawOne<RegistryRow>();
    if (!row) throw new NotFoundError('Certificate');
    return {
      certificateNumber: row.number,
      status: row.effective_status,
      valid: row.effective_status === 'active',
      holder: { name: row.institution_name, country: row.institution_country },
      institution: { name: row.institution_name, country: row.institution_country },
      certifier: { name: row.certifier_name },
      level: row.level,
      decidedOn: row.decided_on,
      issuedOn: row.issued_on,
      publishedOn: row.published_on,
      checkInOverdue: row.check_in_overdue,
      validUntil: row.valid_until,
      packageSha256: row.package_sha256,
      origin: row.origin,
      edition: row.edition_id,
    };
  }

  private filtered(query: RegistryQueryDto): SelectQueryBuilder<CertificateEntity> {
    const builder = this.base();
    const status = query.status ?? 'active';
    if (status !== 'all') builder.andWhere(...STATUS_FILTERS[status]);
    if (query.q)
      builder.andWhere('certificate.holder_name ILIKE :q', {
        q: `%${query.q.replace(/[\\%_]/g, (match) => `\\${match}`)}%`,
      });
    if (query.country)
      builder.andWhere('certificate.holder_country = :country', { country: query.country.toUpperCase() });
    if (query.certifier)
      builder.andWhere('lower(COALESCE(certifier.name, certificate.certifier_name)) = lower(:certifier)', {
        certifier: query.certifier,
      });
    if (query.level) builder.andWhere('certificate.level = :level', { level: query.level });
    return builder;
  }

  private base(): SelectQueryBuilder<CertificateEntity> {
    return (
      this.dataSource
        .getRepository(CertificateEntity)
        .createQueryBuilder('certificate')
        // Recorded certificates name a certification body that may not use the product.
        .leftJoin('certificate.certifier', 'certifier')
        .select('certificate.number', 'number')
        // The holder as certified: a later rename of the organization does not change the registry.
        .addSelect('certificate.holder_name', 'institution_name')
        .addSelect('certificate.holder_country', 'institution_country')
        .addSelect('COALESCE(certifier.name, certificate.certifier_name)', 'certifier_name')
        .addSelect('certificate.edition_id', 'edition_id')
        .addSelect('certificate.level', 'level')
        .addSelect("to_char(certificate.decided_on, 'YYYY-MM-DD')", 'decided_on')
        .addSelect("to_char(certificate.issued_on, 'YYYY-MM-DD')", 'issued_on')
        .addSelect("to_char(certificate.published_on, 'YYYY-MM-DD')", 'published_on')
        .addSelect('certificate.check_in_overdue_since IS NOT NULL', 'check_in_overdue')
        .addSelect("to_char(certificate.check_in_due_on, 'YYYY-MM-DD')", 'check_in_due_on')
        .addSelect("to_char(certificate.valid_until, 'YYYY-MM-DD')", 'valid_until')
        .addSelect(EFFECTIVE_STATUS, 'effective_status')
        .addSelect('certificate.package_sha256', 'package_sha256')
        .addSelect('certificate.origin', 'origin')
    );
  }

  private toEntry(row: RegistryRow): RegistryEntryDto {
    return {
      certificateNumber: row.number,
      holder: { name: row.institution_name, country: row.institution_country },
      institution: { name: row.institution_name, country: row.institution_country },
      certifier: { name: row.certifier_name },
      edition: row.edition_id,
      level: row.level,
      decidedOn: row.decided_on,
      issuedOn: row.issued_on,
      publishedOn: row.published_on,
      checkInDueOn: row.check_in_due_on,
      checkInOverdue: row.check_in_overdue,
      validUntil: row.valid_until,
      status: row.effective_status,
      origin: row.origin,
    };
  }
}
