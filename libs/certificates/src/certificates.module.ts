import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { StandardsModule } from '@app/standards';
import { CertificateExpiryService } from './certificate-expiry.service';
import { CertificatesService } from './certificates.service';
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
  ],
  providers: [CertificateExpiryService, CertificatesService, RegistryPagesService, RegistryService],
  exports: [CertificateExpiryService, CertificatesService, RegistryPagesService, RegistryService],
})
export class CertificatesModule {}
