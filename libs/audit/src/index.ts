export { AuditModule } from './audit.module';
export { AuditService, type AuditEventInput, type ChainVerification } from './audit.service';
export { hashAuditEvent } from './audit-hash.util';
export { AuditEventEntity } from './entities/audit-event.entity';
