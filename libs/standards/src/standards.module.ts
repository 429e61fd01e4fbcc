import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { StandardIndicatorEntity } from './entities/standard-indicator.entity';
import { StandardsEditionEntity } from './entities/standards-edition.entity';
import { StandardsService } from './standards.service';

@Module({
  imports: [TypeOrmModule.forFeature([StandardsEditionEntity, StandardIndicatorEntity]), AuditModule],
  providers: [StandardsService],
  exports: [StandardsService],
})
export class StandardsModule {}
