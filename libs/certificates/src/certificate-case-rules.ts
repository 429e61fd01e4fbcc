import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  type CaseChoice,
  GuardFailedError,
  type TransitionContext,
  TransitionGuardRegistry,
} from '@app/cases';
import { addMonths, ErrorCode } from '@app/common';
import type { EntityManager } from 'typeorm';
import { effectiveStatus } from './certificate-status.util';
import { CertificateEntity } from './entities/certificate.entity';

/** An expired certificate may still be renewed for this many months after its last day of validity. */
export const RENEWAL_MONTHS_AFTER_EXPIRY = 12;

/**
 * What a check-in or renewal may concern: a certificate the case's institution holds, in a state that
 * can be checked in or renewed. Checked when the case is opened or its draft changed, and again at
 * `submit`, `accept` and `publish` (at `close`, only that it is the institution's own).
 */
@Injectable()
export class CertificateCaseRules implements OnModuleInit {
  constructor(private readonly registry: TransitionGuardRegistry) {}

  onModuleInit(): void {
    this.registry.registerChoiceCheck((manager, choice, today) =>
      this.assertMayConcern(manager, choice, today),
    );
    const fromCase = (context: TransitionContext): CaseChoice => ({
      institutionId: context.caseRow.institutionId,
      type: context.caseRow.type,
      editionId: context.caseRow.editionId,
      certificateNumber: context.caseRow.certificateNumber,
    });
    for (const action of ['submit', 'accept', 'publish'] as const) {
      this.registry.register(action, 'certificates.certificate_may_be_concerned', (context) =>
        this.assertMayConcern(context.manager, fromCase(context), context.today),
      );
    }
    this.registry.register('close', 'certificates.certificate_held', async (context) => {
      if (context.caseRow.type !== 'certification')
        await this.requireHeld(context.manager, fromCase(context));
    });
  }

  /** The certificate a check-in or renewal names, held by the case's institution; throws otherwise. */
  async requireHeld(manager: EntityManager, choice: CaseChoice): Promise<CertificateEntity> {
    const certificate = choice.certificateNumber
      ? await manager.getRepository(CertificateEntity).findOneBy({
          number: choice.certificateNumber,
          institutionId: choice.institutionId,
        })
      : null;
    if (!certificate) {
      // Unknown and another institution's certificate answer alike.
      throw new GuardFailedError(
        ErrorCode.CertificateNotHeld,
        `The institution holds no certificate ${choice.certificateNumber ?? '—'}`,
        [{ field: 'certificateNumber', message: 'is not a certificate of this institution' }],
      );
    }
    return certificate;
  }

  async assertMayConcern(manager: EntityManager, choice: CaseChoice, today: string): Promise<void> {
    if (choice.type === 'certification') return;
    const certificate = await this.requireHeld(manager, choice);
    const status = effectiveStatus(certificate, today);
    if (choice.type === 'check_in') {
      const reason =
        certificate.checkInDueOn === null
          ? `its edition ${certificate.editionId} has no check-in`
          : certificate.checkedInOn !== null
            ? `it was already checked in on ${certificate.checkedInOn}`
            : status !== 'active' && status !== 'suspended'
              ? `it is ${status}`
              : choice.editionId !== certificate.editionId
                ? `a check-in is held under the certificate's edition ${certificate.editionId}`
                : null;
      if (reason) {
        throw new GuardFailedError(
          ErrorCode.CertificateNotCheckable,
          `Certificate ${certificate.number} cannot be checked in: ${reason}`,
          [{ field: 'certificateNumber', message: reason, status }],
        );
      }
      return;
    }
    const renewableUntil = addMonths(certificate.validUntil, RENEWAL_MONTHS_AFTER_EXPIRY);
    const isRenewable =
      status === 'active' || status === 'suspended' || (status === 'expired' && today <= renewableUntil);
    if (!isRenewable) {
      const reason =
        status === 'expired'
          ? `it expired more than ${RENEWAL_MONTHS_AFTER_EXPIRY} months ago`
          : `it is ${status}`;
      throw new GuardFailedError(
        ErrorCode.CertificateNotRenewable,
        `Certificate ${certificate.number} cannot be renewed: ${reason}`,
        [{ field: 'certificateNumber', message: reason, status }],
      );
    }
  }
}
