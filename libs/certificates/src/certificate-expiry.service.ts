import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { SYSTEM_ACTOR, todayUtc } from '@app/common';
import { DataSource } from 'typeorm';
import { CertificateEntity } from './entities/certificate.entity';

const BATCH = 500;

/**
 * Marks active certificates past their validity as expired. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so several workers running it at once expire each certificate once.
 */
@Injectable()
export class CertificateExpiryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async expireDue(today: string = todayUtc()): Promise<number> {
    let expired = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const due = await manager.query<{ number: string; case_id: string }[]>(
          `SELECT number, case_id FROM certificate
           WHERE status = 'active' AND valid_until < $1
           ORDER BY number LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [today],
        );
        for (const certificate of due) {
          await manager
            .getRepository(CertificateEntity)
            .update(
              { number: certificate.number },
              { status: 'expired', statusReason: 'Validity ended', version: () => 'version + 1' },
            );
          await this.audit.record(manager, SYSTEM_ACTOR, {
            entityType: 'certificate',
            entityId: certificate.number,
            caseId: certificate.case_id,
            action: 'certificate.expired',
            fromStatus: 'active',
            toStatus: 'expired',
            reason: `Valid until a date before ${today}`,
          });
        }
        return due.length;
      });
      expired += batch;
      if (batch < BATCH) return expired;
    }
  }
}
