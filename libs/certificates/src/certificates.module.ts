import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { DocumentsModule } from '@app/documents';
import { StandardsModule } from '@app/standards';
import { CertificateExpiryService } from './certificate-expiry.service';
import { CertificatesService } from './certificates.service';
import { CertificatePdfService } from './documents/certificate-pdf.service';
import { CertificateCounterEntity } from './entities/certificate-counter.entity';
import { CertificateEntity } from './entities/certificate.entity';
import { RegistryPagesService } from './pages/registry-pages.service';
import { RegistryService } from './registry.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([CertificateEntity, CertificateCounterEntity]),
    AuditModule,
    CasesModule,
    StandardsModule,
    DocumentsModule,
  ],
  providers: [
    CertificateExpiryService,
    CertificatesService,
    CertificatePdfService,
    RegistryPagesService,
    RegistryService,
  ],
  exports: [
    CertificateExpiryService,
    CertificatesService,
    CertificatePdfService,
    RegistryPagesService,
    RegistryService,
  ],
})
export class CertificatesModule {}
