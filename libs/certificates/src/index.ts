export { CertificateCaseRules, RENEWAL_MONTHS_AFTER_EXPIRY } from './certificate-case-rules';
export { CertificateExpiryService } from './certificate-expiry.service';
export { CheckInOverdueService, DEFAULT_CHECK_IN_GRACE_DAYS } from './check-in-overdue.service';
export { CertificatesModule } from './certificates.module';
export { CERTIFICATE_PREFIX, CertificatesService, effectiveStatus } from './certificates.service';
export * from './dto/certificate.dto';
export { CertificatePdfService } from './documents/certificate-pdf.service';
export { CertificateCounterEntity } from './entities/certificate-counter.entity';
export {
  CERTIFICATE_STATUSES,
  CertificateEntity,
  type CertificateStatus,
} from './entities/certificate.entity';
export { RegistryService } from './registry.service';
export { RegistryPagesService } from './pages/registry-pages.service';
export { renderRegistryErrorPage } from './pages/registry-error-page';
export { REGISTRY_PAGE_STYLE_SOURCE } from './pages/registry-templates';
