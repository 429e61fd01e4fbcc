import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import {
  type AppliesWhen,
  type DecisionRule,
  INDICATOR_LEVELS,
  type IndicatorLevel,
  PROFILE_FLAGS,
} from '../edition-document';
import { EDITION_STATUSES, type EditionStatus } from '../entities/standards-edition.entity';

export class EditionSummaryDto {
  @ApiProperty({ example: 'cps-2016' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: EDITION_STATUSES }) status: EditionStatus;
  @ApiProperty({ format: 'date' }) effectiveFrom: string;
  @ApiProperty() principleCount: number;
  @ApiProperty() standardCount: number;
  @ApiProperty() indicatorCount: number;
}

export class AppliesWhenDto implements AppliesWhen {
  @ApiPropertyOptional({
    enum: PROFILE_FLAGS,
    isArray: true,
    description: 'applies when any of these flags is set',
  })
  anyOf?: (typeof PROFILE_FLAGS)[number][];

  @ApiPropertyOptional({
    enum: PROFILE_FLAGS,
    isArray: true,
    description: 'applies only when all of these flags are set',
  })
  allOf?: (typeof PROFILE_FLAGS)[number][];
}

export class IndicatorDto {
  @ApiProperty({ example: '2.1.3' }) code: string;
  @ApiProperty() statement: string;
  @ApiProperty({ description: 'Typical evidence' }) guidance: string;
  @ApiPropertyOptional({ enum: INDICATOR_LEVELS }) level?: IndicatorLevel;
  @ApiPropertyOptional({ type: () => AppliesWhenDto }) appliesWhen?: AppliesWhenDto;
}

export class StandardDto {
  @ApiProperty({ example: '2.1' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: () => IndicatorDto, isArray: true }) indicators: IndicatorDto[];
}

export class PrincipleDto {
  @ApiProperty({ example: '2' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: () => StandardDto, isArray: true }) standards: StandardDto[];
}

export class RatingDefinitionDto {
  @ApiProperty({ example: 'met' }) value: string;
  @ApiProperty() label: string;
  @ApiProperty() compliant: boolean;
  @ApiProperty() requiresJustification: boolean;
  @ApiProperty() notApplicable: boolean;
}

export class ScaleDto {
  @ApiProperty({ type: () => RatingDefinitionDto, isArray: true }) ratings: RatingDefinitionDto[];
}

export class AllApplicableStandardsMetRuleDto {
  @ApiProperty({ enum: ['all_applicable_standards_met'] }) type: 'all_applicable_standards_met';
}

export class TierDto {
  @ApiProperty({ example: 'bronze' }) level: string;
  @ApiProperty({ enum: INDICATOR_LEVELS, isArray: true }) requiredIndicatorLevels: IndicatorLevel[];
}

export class TieredRuleDto {
  @ApiProperty({ enum: ['tiered'] }) type: 'tiered';
  @ApiProperty({ type: () => TierDto, isArray: true, description: 'lowest level first' }) tiers: TierDto[];
}

/** The whole edition document: what `standards/*.json` holds and what POST /standards accepts. */
@ApiExtraModels(AllApplicableStandardsMetRuleDto, TieredRuleDto)
export class EditionDocumentDto {
  @ApiProperty({ example: 'cps-2016', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date' }) effectiveFrom: string;
  @ApiProperty({ minimum: 1, maximum: 120 }) validityMonths: number;
  @ApiProperty({ type: Number, nullable: true }) checkInMonths: number | null;
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 730,
    description: 'Days after a missed check-in date before the certificate is suspended (90 when absent)',
  })
  checkInGraceDays?: number;
  @ApiPropertyOptional({
    format: 'date',
    type: String,
    nullable: true,
    description:
      'The last day a new initial certification may be opened; check-ins and renewals stay allowed',
  })
  openForNewCasesUntil?: string | null;
  @ApiPropertyOptional({
    format: 'date',
    type: String,
    nullable: true,
    description: 'The day the edition was retired',
  })
  retiredOn?: string | null;
  @ApiProperty({ type: () => ScaleDto }) scale: ScaleDto;
  @ApiProperty({
    oneOf: [
      { $ref: getSchemaPath(AllApplicableStandardsMetRuleDto) },
      { $ref: getSchemaPath(TieredRuleDto) },
    ],
  })
  decisionRule: DecisionRule;
  @ApiProperty({ type: () => PrincipleDto, isArray: true }) principles: PrincipleDto[];
}

export class EditionLanguageQueryDto {
  @ApiPropertyOptional({ example: 'fr', description: 'BCP 47 language; texts fall back to English per text' })
  @IsOptional()
  // RFC 5646 asks for language tags of up to 35 characters to be supported.
  @MaxLength(35)
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'must be a language tag such as fr or es' })
  lang?: string;
}
