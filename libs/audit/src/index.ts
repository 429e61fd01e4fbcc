export { AuditModule } from './audit.module';
export {
  AUDIT_CHAIN_LOCK_KEY,
  VERIFY_BATCH_SIZE,
  AuditService,
  type AuditEventInput,
  type ChainVerification,
  type PreparedAuditAppend,
} from './audit.service';
export { hashAuditEvent } from './audit-hash.util';
export { AuditEventEntity } from './entities/audit-event.entity';
