export * from './dto/edition.dto';
export * from './edition-document';
export { EditionValidator, semanticProblems, toFieldPath } from './edition-validator';
export { StandardIndicatorEntity } from './entities/standard-indicator.entity';
export {
  EDITION_STATUSES,
  type EditionStatus,
  StandardsEditionEntity,
} from './entities/standards-edition.entity';
export * from './standards.errors';
export { StandardsModule } from './standards.module';
export { StandardsService } from './standards.service';
