export * from './crosswalks/crosswalk';
export {
  type CrosswalkCatalog,
  crosswalkProblems,
  CrosswalkValidator,
} from './crosswalks/crosswalk-validator';
export * from './crosswalks/crosswalks.errors';
export { CrosswalksService, type OrientedCrosswalk } from './crosswalks/crosswalks.service';
export * from './dto/crosswalk.dto';
export * from './dto/edition.dto';
export * from './edition-document';
export { EditionValidator, type NormalizedEdition, semanticProblems, toFieldPath } from './edition-validator';
export { convertV1ToV2, isV2Candidate, V1_DRIVERS, V1_LEVELS } from './v2/convert-v1';
export { EditionTree, type ItemTextField, type TreeNode } from './v2/edition-tree';
export * from './v2/edition-v2';
export { missingTranslations, semanticProblemsV2 } from './v2/edition-v2-validator';
export { localizeDocument } from './v2/localize';
export { editionSubstance, sameSubstance } from './v2/substance';
export { StandardIndicatorEntity } from './entities/standard-indicator.entity';
export { StandardsCrosswalkEntity } from './entities/standards-crosswalk.entity';
export {
  EDITION_STATUSES,
  type EditionStatus,
  StandardsEditionEntity,
} from './entities/standards-edition.entity';
export * from './standards.errors';
export { StandardsModule } from './standards.module';
export { StandardsService } from './standards.service';
