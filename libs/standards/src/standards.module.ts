import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CrosswalksService } from './crosswalks/crosswalks.service';
import { StandardIndicatorEntity } from './entities/standard-indicator.entity';
import { StandardsCrosswalkEntity } from './entities/standards-crosswalk.entity';
import { StandardsEditionEntity } from './entities/standards-edition.entity';
import { StandardsService } from './standards.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([StandardsEditionEntity, StandardIndicatorEntity, StandardsCrosswalkEntity]),
    AuditModule,
  ],
  providers: [StandardsService, CrosswalksService],
  exports: [StandardsService, CrosswalksService],
})
export class StandardsModule {}
