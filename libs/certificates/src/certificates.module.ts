import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { DocumentsModule } from '@app/documents';
import { NotificationsModule } from '@app/notifications';
import { StandardsModule } from '@app/standards';
import { CertificateCaseRules } from './certificate-case-rules';
import { CertificateExpiryService } from './certificate-expiry.service';
import { CheckInOverdueService } from './check-in-overdue.service';
import { CertificatesService } from './certificates.service';
import { CertificatePdfService } from './documents/certificate-pdf.service';
import { CertificateCounterEntity } from './entities/certificate-counter.entity';
import { CertificateEntity } from './entities/certificate.entity';
import { RegistryPagesService } from './pages/registry-pages.service';
import { RegistryChangeListener } from './registry-change.listener';
import { RegistryService } from './registry.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([CertificateEntity, CertificateCounterEntity]),
    AuditModule,
    CasesModule,
    StandardsModule,
    DocumentsModule,
    NotificationsModule,
  ],
  providers: [
    CertificateCaseRules,
    CertificateExpiryService,
    CheckInOverdueService,
    CertificatesService,
    CertificatePdfService,
    RegistryPagesService,
    RegistryService,
    RegistryChangeListener,
  ],
  exports: [
    CertificateExpiryService,
    CheckInOverdueService,
    CertificatesService,
    CertificatePdfService,
    RegistryPagesService,
    RegistryService,
  ],
})
export class CertificatesModule {}
