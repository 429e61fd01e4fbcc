import { MAX_RECORD_VERSION, registerRequestFastPath } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ITEM_CODE_PATTERN, MAX_ITEM_CODE_LENGTH } from '@app/standards';

/** How a rating was verified. */
export const VERIFICATION_SOURCES = [
  'document',
  'interview',
  'focus_group',
  'observation',
  'system_check',
] as const;
export type VerificationSource = (typeof VERIFICATION_SOURCES)[number];

export class RatingItemRequestDto {
  @ApiProperty({ example: '2.1.3' })
  @MaxLength(MAX_ITEM_CODE_LENGTH)
  @Matches(ITEM_CODE_PATTERN, { message: 'must be an indicator code such as 2.1.3 or 4A.1.1' })
  indicatorCode: string;

  @ApiProperty({ example: 'met', description: "A value of the edition's rating scale" })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  rating: string;

  @ApiPropertyOptional({
    maxLength: 8000,
    description: 'Required for not met, partially met and not applicable',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(8000)
  justification?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  evidenceIds?: string[];

  @ApiPropertyOptional({
    enum: VERIFICATION_SOURCES,
    isArray: true,
    description: 'How the rating was verified; omitted means none recorded',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(VERIFICATION_SOURCES.length)
  @IsIn(VERIFICATION_SOURCES, { each: true })
  verifiedBy?: VerificationSource[];

  @ApiPropertyOptional({
    minimum: 0,
    description: 'The version of the rating that was read; omit for a first rating',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_RECORD_VERSION)
  version?: number;
}

export class SaveRatingsRequestDto {
  @ApiProperty({ type: () => RatingItemRequestDto, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => RatingItemRequestDto)
  ratings: RatingItemRequestDto[];
}

const RATING_ITEM_FIELDS = new Set([
  'indicatorCode',
  'rating',
  'justification',
  'evidenceIds',
  'verifiedBy',
  'version',
]);
// Stricter than the validators above, never looser: what passes here passes them (ASCII ratings, whose
// length is their length; validator's isUUID('all') pattern).
const PLAIN_RATING_VALUE = /^[0-9A-Za-z_-]{1,50}$/;
const ANY_UUID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/i;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** A rating item as the validation pipe makes it, or undefined unless it is certainly valid. */
function validRatingItemOf(value: unknown): RatingItemRequestDto | undefined {
  if (!isPlainObject(value)) return undefined;
  for (const key in value) if (!RATING_ITEM_FIELDS.has(key)) return undefined;
  const { indicatorCode, rating, justification, evidenceIds, verifiedBy, version } = value;
  if (
    typeof indicatorCode !== 'string' ||
    indicatorCode.length > MAX_ITEM_CODE_LENGTH ||
    !ITEM_CODE_PATTERN.test(indicatorCode) ||
    typeof rating !== 'string' ||
    !PLAIN_RATING_VALUE.test(rating)
  )
    return undefined;
  const item = new RatingItemRequestDto();
  item.indicatorCode = indicatorCode;
  item.rating = rating;
  // null (which the validators let pass as omitted) is left to the pipe.
  if (justification !== undefined) {
    if (typeof justification !== 'string') return undefined;
    item.justification = justification.trim();
    if (item.justification.length > 8000) return undefined;
  }
  if (evidenceIds !== undefined) {
    if (!Array.isArray(evidenceIds) || evidenceIds.length > 50) return undefined;
    for (const id of evidenceIds as unknown[])
      if (typeof id !== 'string' || !ANY_UUID.test(id)) return undefined;
    item.evidenceIds = [...(evidenceIds as string[])];
  }
  if (verifiedBy !== undefined) {
    if (!Array.isArray(verifiedBy) || verifiedBy.length > VERIFICATION_SOURCES.length) return undefined;
    for (const source of verifiedBy as unknown[])
      if (!(VERIFICATION_SOURCES as readonly unknown[]).includes(source)) return undefined;
    item.verifiedBy = [...(verifiedBy as VerificationSource[])];
  }
  if (version !== undefined) {
    if (
      typeof version !== 'number' ||
      !Number.isInteger(version) ||
      version < 0 ||
      version > MAX_RECORD_VERSION
    )
      return undefined;
    item.version = version;
  }
  return item;
}

// A batch of ratings is up to 1000 nested objects, and class-validator's cost per object is most of a
// save: a certainly valid body skips it (every other one is validated, and its problems reported, as
// before). Keep in step with the decorators above; the unit test holds both to the same answers.
registerRequestFastPath(SaveRatingsRequestDto, (body) => {
  if (!isPlainObject(body)) return undefined;
  for (const key in body) if (key !== 'ratings') return undefined;
  const { ratings } = body;
  if (!Array.isArray(ratings) || ratings.length < 1 || ratings.length > 1000) return undefined;
  const request = new SaveRatingsRequestDto();
  request.ratings = [];
  for (const value of ratings as unknown[]) {
    const item = validRatingItemOf(value);
    if (!item) return undefined;
    request.ratings.push(item);
  }
  return request;
});

export class RatingDto {
  @ApiProperty() indicatorCode: string;
  @ApiProperty() applicable: boolean;
  @ApiProperty({ nullable: true, type: String }) rating: string | null;
  @ApiProperty({ nullable: true, type: String }) justification: string | null;
  @ApiProperty({ type: String, format: 'uuid', isArray: true }) evidenceIds: string[];
  @ApiProperty({ enum: VERIFICATION_SOURCES, isArray: true, description: 'How the rating was verified' })
  verifiedBy: string[];
  @ApiProperty({ description: '0 while not rated' }) version: number;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) ratedBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) ratedAt: string | null;
}

export class RatingsDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() ratedCount: number;
  @ApiProperty() applicableCount: number;
  @ApiProperty({ type: () => RatingDto, isArray: true }) ratings: RatingDto[];
}

export class SavedRatingsDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({
    type: () => RatingDto,
    isArray: true,
    description: 'The saved ratings with their new versions',
  })
  ratings: RatingDto[];
}

export class ResultIndicatorDto {
  @ApiProperty() code: string;
  @ApiProperty() applicable: boolean;
  @ApiProperty({ nullable: true, type: String }) rating: string | null;
  @ApiProperty() compliant: boolean;
}

export class ResultStandardDto {
  @ApiProperty() code: string;
  @ApiProperty({ nullable: true, type: Boolean, description: 'null when no indicator applies' }) met:
    boolean | null;
  @ApiProperty({ type: () => ResultIndicatorDto, isArray: true }) indicators: ResultIndicatorDto[];
}

export class ResultPrincipleDto {
  @ApiProperty() code: string;
  @ApiProperty({ nullable: true, type: Boolean }) met: boolean | null;
  @ApiProperty({ type: () => ResultStandardDto, isArray: true }) standards: ResultStandardDto[];
}

export class ResultItemDto {
  @ApiProperty({ example: '1.1' }) code: string;
  @ApiProperty({ example: 'essential_practice', description: "The item's level key in the edition" })
  level: string;
  @ApiProperty({ nullable: true, type: Boolean, description: 'null when no indicator under it applies' })
  met: boolean | null;
  @ApiProperty() applicableIndicators: number;
  @ApiProperty() metIndicators: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'mean rating score of its applicable indicators',
  })
  score: number | null;
}

export class OutcomeDto {
  @ApiProperty({ description: "The edition's decision rule holds on the ratings" }) eligible: boolean;
  @ApiPropertyOptional({ example: 'silver' }) level?: string;
}

export class SelfAssessmentDeltaDto {
  @ApiProperty() code: string;
  @ApiProperty({ nullable: true, type: String }) selfRating: string | null;
  @ApiProperty({ nullable: true, type: String }) rating: string | null;
}

export class ItemScoreDto {
  @ApiProperty({ example: '1.1', description: 'An item code, or `tag:entry` for a tag of a tiered edition' })
  code: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 0.75,
    description:
      "Mean score of the applicable indicators (the scale's score per rating: met 1, partially met 0.5, not met 0); null when none applies",
  })
  score: number | null;
  @ApiProperty({ description: 'Applicable indicators' }) applicable: number;
  @ApiProperty({ description: 'Applicable indicators met' }) met: number;
}

export class MissingShareDto {
  @ApiProperty({ example: 'progress' }) tag: string;
  @ApiProperty({ description: 'How many more applicable indicators of the tag must be met' }) count: number;
  @ApiProperty({ example: 0.8 }) minShare: number;
}

export class NextLevelDto {
  @ApiProperty({ example: 'silver' }) level: string;
  @ApiProperty({
    type: String,
    isArray: true,
    description: 'Applicable indicators not met that block the level, in edition order',
  })
  blockers: string[];
  @ApiProperty({ type: () => MissingShareDto, isArray: true }) missing: MissingShareDto[];
}

export class ResultsDto {
  @ApiProperty({ type: () => OutcomeDto }) outcome: OutcomeDto;
  @ApiProperty({
    type: () => ResultPrincipleDto,
    isArray: true,
    description: "The edition's top level as principles, the level above the indicators as standards",
  })
  principles: ResultPrincipleDto[];
  @ApiProperty({
    type: () => ResultItemDto,
    isArray: true,
    description: 'Every item of every level, in order',
  })
  items: ResultItemDto[];
  @ApiProperty({ type: String, isArray: true }) gaps: string[];
  @ApiProperty({ type: () => ItemScoreDto, isArray: true }) scores: ItemScoreDto[];
  @ApiProperty({
    type: () => NextLevelDto,
    isArray: true,
    description: 'Tiered editions: each level above the one reached and what blocks it',
  })
  nextLevels: NextLevelDto[];
  @ApiProperty({ type: () => SelfAssessmentDeltaDto, isArray: true })
  selfAssessmentDeltas: SelfAssessmentDeltaDto[];
}
