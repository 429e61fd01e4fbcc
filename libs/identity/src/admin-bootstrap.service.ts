import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { SYSTEM_ACTOR } from '@app/common';
import { BootstrapConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { OrganizationEntity } from './entities/organization.entity';
import { UserEntity } from './entities/user.entity';
import { PasswordHasher } from './password-hasher';

const BOOTSTRAP_LOCK_KEY = 2_026_112_302;

/**
 * On an empty database, creates the secretariat organization and its first `secretariat_admin` from
 * ADMIN_EMAIL and ADMIN_PASSWORD. Everything else is then created through the API.
 */
@Injectable()
export class AdminBootstrapService {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: BootstrapConfig,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  /** Returns true when the admin was created by this call. */
  async ensureFirstAdmin(): Promise<boolean> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) return false;
    const passwordHash = await this.hasher.hash(adminPassword);
    const isCreated = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      if ((await manager.getRepository(UserEntity).count()) > 0) return false;
      const secretariat = await manager
        .getRepository(OrganizationEntity)
        .save(
          manager
            .getRepository(OrganizationEntity)
            .create({ kind: 'secretariat', name: 'Campaign secretariat', country: 'CH' }),
        );
      const admin = await manager.getRepository(UserEntity).save(
        manager.getRepository(UserEntity).create({
          organizationId: secretariat.id,
          email: adminEmail,
          name: 'Secretariat administrator',
          role: 'secretariat_admin',
          passwordHash,
          passwordChangedAt: new Date(),
        }),
      );
      await this.audit.record(manager, SYSTEM_ACTOR, {
        entityType: 'organization',
        entityId: secretariat.id,
        action: 'organization.created',
        reason: 'bootstrap from ADMIN_EMAIL',
        data: { kind: 'secretariat', name: secretariat.name, country: secretariat.country },
      });
      await this.audit.record(manager, SYSTEM_ACTOR, {
        entityType: 'user',
        entityId: admin.id,
        action: 'user.created',
        reason: 'bootstrap from ADMIN_EMAIL',
        data: { organizationId: secretariat.id, email: admin.email, role: admin.role },
      });
      return true;
    });
    if (isCreated) this.logger.log(`Created the first secretariat admin ${adminEmail}`);
    return isCreated;
  }
}
