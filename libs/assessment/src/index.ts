export { applicabilityOf, driverValuesOf, type IndicatorApplicability } from './applicability';
export { AssessmentModule } from './assessment.module';
export * from './dto/self-assessment.dto';
export { SelfAssessmentAnswerEntity } from './entities/self-assessment-answer.entity';
export { prefillSourceOf, SelfAssessmentService } from './self-assessment.service';
export {
  MAX_PREFILLED_COMMENT,
  planPrefill,
  type PrefillMappingKind,
  type PrefillPlan,
  type SourceAnswer,
  translateRating,
} from './prefill/prefill-plan';
export { PrefillSourceNotFoundError } from './prefill/prefill.errors';
export { type PrefillSource, SelfAssessmentPrefillService } from './prefill/self-assessment-prefill.service';
export {
  computeResults,
  type IndicatorResult,
  type ItemResult,
  type Outcome,
  type PrincipleResult,
  type Results,
  type StandardResult,
} from './results/compute-results';
export * from './dto/ratings.dto';
export { IndicatorRatingEntity } from './entities/indicator-rating.entity';
export { RatingsService } from './ratings/ratings.service';
export { ResultsService } from './ratings/results.service';
export { type ItemScore, type NextLevel, type ScoreResults, scoreResults } from './results/score-results';
