import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  CERTIFICATE_PREFIX,
  CERTIFICATE_STATUSES,
  CertificateEntity,
  type CertificateStatus,
} from '@app/certificates';
import { type Actor, ForbiddenError, isCalendarDate, isSecretariat, todayUtc } from '@app/common';
import { DataSource, In } from 'typeorm';
import type { ImportReportDto, ImportRowReportDto } from '../commitments/dto/commitment.dto';
import { normalizeOrganizationName } from '../organization-name.util';
import { type ImportCandidate, markRepeatedKeys, planImport } from '../uploads/import-plan.util';
import { readTabularFile, type TabularRow } from '../uploads/tabular-file.reader';
import type { UploadedFile } from '../uploads/uploaded-file.reader';

const NUMBER_PATTERN = /^(?=.{3,40}$)[A-Z0-9]+(?:[-.][A-Z0-9]+)+$/;
// Serialises recorded-certificate imports, so that two cannot both take one number.
const IMPORT_LOCK_KEY = 2_026_113_016;

type RecordedCertificate = Pick<
  CertificateEntity,
  | 'number'
  | 'holderName'
  | 'holderCountry'
  | 'holderKey'
  | 'certifierName'
  | 'editionId'
  | 'level'
  | 'decidedOn'
  | 'issuedOn'
  | 'publishedOn'
  | 'validUntil'
  | 'status'
>;

/**
 * The historical registry: certificates issued outside the product (columns `number`, `institution`,
 * `country`, `certificationBody`, `edition`, `level`, `issuedOn`, `validUntil`, `status`, optional
 * `decidedOn`), recorded with `origin: recorded`. A dry run reports each row by line; applying records
 * every row or none, each as an audited event.
 */
@Injectable()
export class HistoricalCertificateImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async import(actor: Actor, file: UploadedFile, dryRun: boolean): Promise<ImportReportDto> {
    if (!isSecretariat(actor)) throw new ForbiddenError();
    const rows = await readTabularFile(file);
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK_KEY]);
      const checked = rows.map((row) => this.check(row));
      const numbers = checked.flatMap((row) => (row.entry ? [row.entry.number] : []));
      const taken = new Set(
        numbers.length
          ? (
              await manager
                .getRepository(CertificateEntity)
                .find({ where: { number: In(numbers) }, select: { number: true } })
            ).map((certificate) => certificate.number)
          : [],
      );
      markRepeatedKeys(checked, {
        keyOf: (entry) => entry.number,
        taken,
        takenProblem: 'number is already in the registry',
        thing: 'number',
        outcome: 'invalid',
      });
      const { report, toSave } = planImport(checked, dryRun);
      if (dryRun) return report;
      const repository = manager.getRepository(CertificateEntity);
      for (const { line, entry } of toSave) {
        await repository.insert({
          ...entry,
          origin: 'recorded',
          caseId: null,
          institutionId: null,
          certifierId: null,
          packageSha256: null,
          checkInDueOn: null,
          checkedInOn: null,
          checkInOverdueSince: null,
          statusReason: null,
          supersededBy: null,
        });
        await this.audit.record(manager, actor, {
          entityType: 'certificate',
          entityId: entry.number,
          action: 'certificate.recorded',
          toStatus: entry.status,
          data: {
            line,
            fileName: file.fileName,
            holder: { name: entry.holderName, country: entry.holderCountry },
            certifier: entry.certifierName,
            edition: entry.editionId,
            level: entry.level,
            issuedOn: entry.issuedOn,
            validUntil: entry.validUntil,
          },
        });
      }
      return report;
    });
  }

  private check(row: TabularRow): ImportCandidate<RecordedCertificate> {
    const cell = (...names: string[]) => names.map((name) => row.cells[name]).find((value) => value) ?? '';
    const problems: string[] = [];
    const number = cell('number', 'certificatenumber').toUpperCase();
    const holderName = cell('institution', 'name', 'holder');
    const holderCountry = cell('country').toUpperCase();
    const certifierName = cell('certificationbody', 'certifier');
    const editionId = cell('edition');
    const level = cell('level') || null;
    const issuedOn = cell('issuedon', 'issued');
    const validUntil = cell('validuntil', 'expireson');
    const decidedOn = cell('decidedon') || issuedOn;
    const status = cell('status').toLowerCase() as CertificateStatus;
    if (!NUMBER_PATTERN.test(number))
      problems.push(
        `number "${cell('number', 'certificatenumber')}" is not a certificate number (letters, digits, - or .)`,
      );
    else if (number.startsWith(`${CERTIFICATE_PREFIX}-`))
      problems.push(
        `number ${number} uses the product's own prefix ${CERTIFICATE_PREFIX}- and could collide with an issued number`,
      );
    const holderKey = normalizeOrganizationName(holderName);
    if (!holderKey) problems.push('institution is missing');
    if (!/^[A-Z]{2}$/.test(holderCountry))
      problems.push(`country "${cell('country')}" is not an ISO 3166-1 alpha-2 code`);
    if (!certifierName) problems.push('certificationBody is missing');
    if (!editionId || editionId.length > 50) problems.push('edition is missing or longer than 50 characters');
    if (level && level.length > 50) problems.push('level is longer than 50 characters');
    const dates: [string, string][] = [
      ['issuedOn', issuedOn],
      ['validUntil', validUntil],
      ['decidedOn', decidedOn],
    ];
    for (const [field, value] of dates) {
      if (!isCalendarDate(value))
        problems.push(`${field} "${String(value)}" is not a date written YYYY-MM-DD`);
    }
    if (isCalendarDate(issuedOn) && isCalendarDate(validUntil) && validUntil < issuedOn)
      problems.push('validUntil is before issuedOn');
    if (isCalendarDate(issuedOn) && issuedOn > todayUtc()) problems.push('issuedOn is in the future');
    if (!(CERTIFICATE_STATUSES as readonly string[]).includes(status))
      problems.push(`status "${cell('status')}" is not one of ${CERTIFICATE_STATUSES.join(', ')}`);
    const report: ImportRowReportDto = {
      line: row.line,
      outcome: problems.length ? 'invalid' : 'new',
      key: null,
      problems,
    };
    if (problems.length) return { report };
    return {
      report,
      entry: {
        number,
        holderName,
        holderCountry,
        holderKey,
        certifierName,
        editionId,
        level,
        decidedOn,
        issuedOn,
        publishedOn: issuedOn,
        validUntil,
        status,
      },
    };
  }
}
