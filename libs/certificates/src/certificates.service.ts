import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { CertificationCaseEntity, type TransitionContext, TransitionGuardRegistry } from '@app/cases';
import {
  type Actor,
  addDays,
  addMonths,
  dateOf,
  DomainError,
  ErrorCode,
  isSecretariat,
  NotFoundError,
  type Page,
  pageOffset,
  todayUtc,
} from '@app/common';
import { OrganizationEntity } from '@app/identity';
import { StandardsService } from '@app/standards';
import { DataSource, type EntityManager, In } from 'typeorm';
import type {
  CertificateActionRequestDto,
  CertificateDto,
  ListCertificatesQueryDto,
} from './dto/certificate.dto';
import { effectiveStatus, MISSED_CHECK_IN_REASON } from './certificate-status.util';
import { CertificateEntity, type CertificateStatus } from './entities/certificate.entity';

export const CERTIFICATE_PREFIX = 'CPC';
export { effectiveStatus };

const TRANSITIONS: Record<
  CertificateActionRequestDto['action'],
  { from: CertificateStatus[]; to: CertificateStatus }
> = {
  suspend: { from: ['active'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'active' },
  revoke: { from: ['active', 'suspended'], to: 'revoked' },
};

/** Issuing certificates on publication, their lifecycle, and reading them. */
@Injectable()
export class CertificatesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly guards: TransitionGuardRegistry,
    private readonly standards: StandardsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.guards.registerEffect('publish', 'certificates.issue_certificate', (context) =>
      this.onPublish(context),
    );
    this.guards.registerEffect('close', 'certificates.suspend_unconfirmed_certificate', (context) =>
      this.onClose(context),
    );
  }

  async list(actor: Actor, query: ListCertificatesQueryDto): Promise<Page<CertificateDto>> {
    const builder = this.dataSource.getRepository(CertificateEntity).createQueryBuilder('certificate');
    if (!isSecretariat(actor)) {
      builder.where(
        '(certificate.institution_id = :organizationId OR certificate.certifier_id = :organizationId)',
        {
          organizationId: actor.organizationId,
        },
      );
    }
    if (query.status) builder.andWhere('certificate.status = :status', { status: query.status });
    const [certificates, total] = await builder
      .orderBy('certificate.issued_on', 'DESC')
      .addOrderBy('certificate.number', 'DESC')
      .skip(pageOffset(query))
      .take(query.pageSize)
      .getManyAndCount();
    return { items: await this.toDtos(certificates), total, page: query.page, pageSize: query.pageSize };
  }

  async get(actor: Actor, number: string): Promise<CertificateDto> {
    return (await this.toDtos([await this.findVisible(actor, number)]))[0];
  }

  async act(actor: Actor, number: string, request: CertificateActionRequestDto): Promise<CertificateDto> {
    const certificate = await this.findVisible(actor, number);
    const rule = TRANSITIONS[request.action];
    const current = effectiveStatus(certificate);
    if (!rule.from.includes(current)) {
      throw new DomainError(
        ErrorCode.InvalidTransition,
        `A ${current} certificate cannot be ${request.action}ed`,
        [{ field: 'action', message: `not possible while ${current}` }],
      );
    }
    await this.dataSource.transaction(async (manager) => {
      await this.changeStatus(
        manager,
        actor,
        certificate,
        rule.to,
        request.reason,
        `certificate.${request.action}`,
      );
    });
    return this.get(actor, number);
  }

  /**
   * Publication of a certified case: a new certificate (a renewal supersedes the old one); a certified
   * check-in confirms the certificate. Only ever the case institution's own certificate is changed.
   */
  private async onPublish({ manager, caseRow, actor }: TransitionContext): Promise<Record<string, unknown>> {
    const today = todayUtc();
    if (caseRow.type === 'check_in') {
      const existing = await this.requireCertificate(
        manager,
        caseRow.certificateNumber,
        caseRow.institutionId,
      );
      await manager
        .getRepository(CertificateEntity)
        .update(
          { number: existing.number, institutionId: caseRow.institutionId },
          { checkedInOn: today, checkInOverdueSince: null, version: () => 'version + 1' },
        );
      await this.audit.record(manager, actor, {
        entityType: 'certificate',
        entityId: existing.number,
        caseId: caseRow.id,
        action: 'certificate.check_in_confirmed',
      });
      // A certificate the worker suspended for the missed check-in comes back with the certified check-in.
      if (existing.status === 'suspended' && existing.statusReason === MISSED_CHECK_IN_REASON) {
        await this.changeStatus(
          manager,
          actor,
          { ...existing, version: existing.version + 1 },
          'active',
          'The check-in was certified',
          'certificate.reinstate',
        );
      }
      return { certificateNumber: existing.number, checkInConfirmed: true };
    }
    const edition = await this.standards.requireDocument(caseRow.editionId, manager);
    const year = Number(today.slice(0, 4));
    const [{ last_number: sequence }] = await manager.query<{ last_number: number }[]>(
      `INSERT INTO certificate_counter (year, last_number) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_number = certificate_counter.last_number + 1
       RETURNING last_number`,
      [year],
    );
    const number = `${CERTIFICATE_PREFIX}-${year}-${String(sequence).padStart(4, '0')}`;
    // The latest sealed package: the decision, or the appeal resolution that changed it.
    // The holder as certified: the institution's name and country sealed in that package, not the
    // organization's row now (an institution without a certificate renames itself freely, so a rename
    // between the decision and publication would otherwise reach the registry unapproved).
    const [decision] = await manager.query<
      {
        package_sha256: string;
        decided_on: string;
        holder_name: string | null;
        holder_country: string | null;
      }[]
    >(
      `SELECT package_sha256, to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS decided_on,
              package_json::jsonb #>> '{institution,name}' AS holder_name,
              package_json::jsonb #>> '{institution,country}' AS holder_country
       FROM case_decision WHERE case_id = $1 ORDER BY decided_at DESC LIMIT 1`,
      [caseRow.id],
    );
    const decidedOn = decision?.decided_on ?? (caseRow.decidedAt ? dateOf(caseRow.decidedAt) : today);
    const holder =
      decision?.holder_name && decision.holder_country
        ? { name: decision.holder_name, country: decision.holder_country }
        : await manager.getRepository(OrganizationEntity).findOneByOrFail({ id: caseRow.institutionId });
    await manager.getRepository(CertificateEntity).insert({
      number,
      caseId: caseRow.id,
      institutionId: caseRow.institutionId,
      certifierId: caseRow.certifierId,
      editionId: caseRow.editionId,
      level: caseRow.level,
      holderName: holder.name,
      holderCountry: holder.country,
      decidedOn,
      // Validity counts from the committee's decision, not from the day the secretariat publishes.
      issuedOn: decidedOn,
      publishedOn: today,
      checkInDueOn: edition.checkInMonths ? addMonths(decidedOn, edition.checkInMonths) : null,
      validUntil: addDays(addMonths(decidedOn, edition.validityMonths), -1),
      packageSha256: decision?.package_sha256 ?? '',
      status: 'active',
      statusReason: null,
      supersededBy: null,
      checkedInOn: null,
      checkInOverdueSince: null,
    });
    await manager
      .getRepository(CertificationCaseEntity)
      .update({ id: caseRow.id }, { issuedCertificateNumber: number });
    await this.audit.record(manager, actor, {
      entityType: 'certificate',
      entityId: number,
      caseId: caseRow.id,
      action: 'certificate.issued',
      toStatus: 'active',
      data: {
        level: caseRow.level,
        packageSha256: decision?.package_sha256,
        holder: { name: holder.name, country: holder.country },
        decidedOn,
        publishedOn: today,
      },
    });
    if (caseRow.type === 'renewal') {
      const previous = await this.requireCertificate(
        manager,
        caseRow.certificateNumber,
        caseRow.institutionId,
      );
      await this.changeStatus(
        manager,
        actor,
        previous,
        'superseded',
        `Renewed by ${number}`,
        'certificate.superseded',
        number,
      );
    }
    return { certificateNumber: number };
  }

  /** Closing a check-in that was not certified suspends the certificate it checked (the institution's own). */
  private async onClose({ manager, caseRow, actor }: TransitionContext): Promise<Record<string, unknown>> {
    if (caseRow.type !== 'check_in' || !caseRow.certificateNumber) return {};
    const certificate = await this.requireCertificate(
      manager,
      caseRow.certificateNumber,
      caseRow.institutionId,
    );
    if (effectiveStatus(certificate) !== 'active') return {};
    await this.changeStatus(
      manager,
      actor,
      certificate,
      'suspended',
      'The check-in was not certified',
      'certificate.suspend',
    );
    return { suspendedCertificate: certificate.number };
  }

  private async changeStatus(
    manager: EntityManager,
    actor: Actor,
    certificate: CertificateEntity,
    to: CertificateStatus,
    reason: string,
    action: string,
    supersededBy?: string,
  ): Promise<void> {
    const result = await manager
      .createQueryBuilder()
      .update(CertificateEntity)
      .set({
        status: to,
        statusReason: reason,
        version: () => 'version + 1',
        ...(supersededBy ? { supersededBy } : {}),
      })
      .where('number = :number AND version = :version', {
        number: certificate.number,
        version: certificate.version,
      })
      .execute();
    if (result.affected !== 1)
      throw new DomainError(ErrorCode.StaleVersion, 'The certificate changed meanwhile; try again');
    await this.audit.record(manager, actor, {
      entityType: 'certificate',
      entityId: certificate.number,
      caseId: certificate.caseId,
      action,
      fromStatus: effectiveStatus(certificate),
      toStatus: to,
      reason,
    });
  }

  private async requireCertificate(
    manager: EntityManager,
    number: string | null,
    institutionId: string,
  ): Promise<CertificateEntity> {
    // Locked for the rest of the publication or closing: the missed check-in job skips it meanwhile.
    const certificate = number
      ? await manager
          .getRepository(CertificateEntity)
          .findOne({ where: { number, institutionId }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!certificate) {
      throw new DomainError(
        ErrorCode.CertificateNotHeld,
        `The case concerns certificate ${number ?? '—'}, which its institution does not hold`,
      );
    }
    return certificate;
  }

  private async findVisible(actor: Actor, number: string): Promise<CertificateEntity> {
    const certificate = await this.dataSource.getRepository(CertificateEntity).findOneBy({ number });
    const isOwn =
      certificate &&
      (certificate.institutionId === actor.organizationId ||
        certificate.certifierId === actor.organizationId);
    if (!certificate || !(isSecretariat(actor) || isOwn)) throw new NotFoundError('Certificate');
    return certificate;
  }

  private async toDtos(certificates: CertificateEntity[]): Promise<CertificateDto[]> {
    const ids = [
      ...new Set(
        certificates
          .flatMap((certificate) => [certificate.institutionId, certificate.certifierId])
          .filter((id): id is string => id !== null),
      ),
    ];
    const nameOf = (id: string | null) => (id ? byId.get(id) : undefined);
    const organizations = ids.length
      ? await this.dataSource.getRepository(OrganizationEntity).findBy({ id: In(ids) })
      : [];
    const byId = new Map(organizations.map((organization) => [organization.id, organization]));
    return certificates.map((certificate) => ({
      certificateNumber: certificate.number,
      caseId: certificate.caseId,
      institution: {
        id: certificate.institutionId,
        name: nameOf(certificate.institutionId)?.name ?? certificate.holderName,
        country: nameOf(certificate.institutionId)?.country ?? certificate.holderCountry,
      },
      holder: { name: certificate.holderName, country: certificate.holderCountry },
      certifier: {
        id: certificate.certifierId,
        name: nameOf(certificate.certifierId)?.name ?? certificate.certifierName ?? '',
      },
      origin: certificate.origin,
      edition: certificate.editionId,
      level: certificate.level,
      decidedOn: certificate.decidedOn,
      issuedOn: certificate.issuedOn,
      publishedOn: certificate.publishedOn,
      checkedInOn: certificate.checkedInOn,
      checkInOverdue: certificate.checkInOverdueSince !== null,
      checkInDueOn: certificate.checkInDueOn,
      validUntil: certificate.validUntil,
      status: effectiveStatus(certificate),
      statusReason: certificate.statusReason,
      supersededBy: certificate.supersededBy,
      packageSha256: certificate.packageSha256,
      version: certificate.version,
    }));
  }
}
