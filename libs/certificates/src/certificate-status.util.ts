import { todayUtc } from '@app/common';
import type { CertificateEntity, CertificateStatus } from './entities/certificate.entity';

/** The status a reader sees: an active certificate past its validity reads expired. */
export function effectiveStatus(
  certificate: Pick<CertificateEntity, 'status' | 'validUntil'>,
  today = todayUtc(),
): CertificateStatus {
  return certificate.status === 'active' && certificate.validUntil < today ? 'expired' : certificate.status;
}

/** The reason the worker gives when it suspends a certificate whose check-in was missed. */
export const MISSED_CHECK_IN_REASON =
  'The check-in was not certified within the grace period after its due date';
