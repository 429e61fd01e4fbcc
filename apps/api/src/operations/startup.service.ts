import { Injectable, Logger } from '@nestjs/common';
import { AdminBootstrapService } from '@app/identity';
import { CrosswalksService, StandardsService } from '@app/standards';

/** What runs once the database is migrated and before the API serves: the catalog and the first admin. */
@Injectable()
export class StartupService {
  private readonly logger = new Logger(StartupService.name);

  constructor(
    private readonly standards: StandardsService,
    private readonly crosswalks: CrosswalksService,
    private readonly bootstrap: AdminBootstrapService,
  ) {}

  async prepare(): Promise<void> {
    const loaded = await this.standards.loadBundledEditions();
    if (loaded.length > 0) this.logger.log(`Loaded and published standards editions: ${loaded.join(', ')}`);
    // After the editions: a crosswalk names two of them.
    const crosswalks = await this.crosswalks.loadBundledCrosswalks();
    if (crosswalks.length > 0) this.logger.log(`Loaded and published crosswalks: ${crosswalks.join(', ')}`);
    await this.bootstrap.ensureFirstAdmin();
  }
}
