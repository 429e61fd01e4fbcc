import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_RECORD_VERSION, PageQueryDto } from '@app/common';
import { ITEM_CODE_PATTERN } from '@app/standards';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MANUAL_REASON, QA_REASONS } from '../qa-sampling.rule';

export const QA_REVIEW_STATUSES = ['issued', 'responded', 'closed'] as const;
export type QaReviewStatus = (typeof QA_REVIEW_STATUSES)[number];
export const QA_FINDING_SEVERITIES = ['major', 'minor', 'observation'] as const;
export type QaFindingSeverity = (typeof QA_FINDING_SEVERITIES)[number];
const REVIEW_REASONS = [...QA_REASONS, MANUAL_REASON];

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class QaFindingInputDto {
  @ApiProperty({ enum: QA_FINDING_SEVERITIES })
  @IsIn(QA_FINDING_SEVERITIES)
  severity: QaFindingSeverity;

  @ApiPropertyOptional({ example: '2.1.3', description: 'The indicator the finding concerns, if one' })
  @IsOptional()
  @MaxLength(50)
  @Matches(ITEM_CODE_PATTERN, { message: 'must be an indicator code such as 2.1.3 or 4A.1.1' })
  indicatorCode?: string;

  @ApiProperty({ maxLength: 8000, example: 'Indicator 2.1.3 rated met with no document or interview cited' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  description: string;
}

export class CreateQaReviewRequestDto {
  @ApiProperty({ format: 'uuid', description: 'A decided case' })
  @IsUUID()
  caseId: string;

  @ApiProperty({ maxLength: 8000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  summary: string;

  @ApiProperty({ type: [QaFindingInputDto], maxItems: 100 })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => QaFindingInputDto)
  findings: QaFindingInputDto[];
}

export class QaReviewResponseRequestDto {
  @ApiProperty({ minimum: 1, description: 'The version read' })
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;

  @ApiProperty({ maxLength: 8000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  response: string;
}

export class QaReviewCloseRequestDto {
  @ApiProperty({ minimum: 1, description: 'The version read' })
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;

  @ApiProperty({ maxLength: 8000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  note: string;
}

export class QaReviewsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: QA_REVIEW_STATUSES })
  @IsOptional()
  @IsIn(QA_REVIEW_STATUSES)
  status?: QaReviewStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Secretariat: one certification body' })
  @IsOptional()
  @IsUUID()
  certifierId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  caseId?: string;
}

export class QaFindingDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: QA_FINDING_SEVERITIES }) severity: QaFindingSeverity;
  @ApiProperty({ nullable: true, type: String }) indicatorCode: string | null;
  @ApiProperty() description: string;
}

export class QaReviewDto {
  @ApiProperty() id: string;
  @ApiProperty() caseId: string;
  @ApiProperty({ description: 'The decision reviewed' }) caseDecidedAt: string;
  @ApiProperty() certifierId: string;
  @ApiProperty() certifierName: string;
  @ApiProperty() institutionName: string;
  @ApiProperty() editionId: string;
  @ApiProperty({ enum: QA_REVIEW_STATUSES }) status: QaReviewStatus;
  @ApiProperty({
    enum: REVIEW_REASONS,
    isArray: true,
    description: 'Why the case was reviewed: the sampling reasons, or `manual`',
  })
  reasons: string[];
  @ApiProperty() summary: string;
  @ApiProperty({ type: [QaFindingDto] }) findings: QaFindingDto[];
  @ApiProperty() createdByName: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) response: string | null;
  @ApiProperty({ nullable: true, type: String }) respondedByName: string | null;
  @ApiProperty({ nullable: true, type: String }) respondedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) closingNote: string | null;
  @ApiProperty({ nullable: true, type: String }) closedByName: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty() version: number;
}

export class QaReviewPageDto {
  @ApiProperty({ type: [QaReviewDto] }) items: QaReviewDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class QaSampleEntryDto {
  @ApiProperty() caseId: string;
  @ApiProperty() decidedAt: string;
  @ApiProperty() certifierId: string;
  @ApiProperty() certifierName: string;
  @ApiProperty() institutionName: string;
  @ApiProperty({ enum: QA_REASONS, isArray: true }) reasons: string[];
  @ApiProperty({ description: 'The case draw in [0, 1): SHA-256 of `<caseId>|<decidedAt>`, first 32 bits' })
  draw: number;
  @ApiProperty({ description: 'QA_SAMPLE_SHARE when the case was checked' }) sampleShare: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'What was found: decided and computed outcome and level, met ratings without evidence, dissent',
  })
  details: Record<string, unknown>;
  @ApiProperty() checkedAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'The open or last QA review of the case' })
  reviewId: string | null;
}

export class QaSamplePageDto {
  @ApiProperty({ type: [QaSampleEntryDto] }) items: QaSampleEntryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class QaSampleQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'true: only selected cases not reviewed yet (the default)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'false' ? false : value === 'true' ? true : value))
  @IsIn([true, false])
  unreviewedOnly?: boolean;
}

export class QaSeverityCountsDto {
  @ApiProperty() major: number;
  @ApiProperty() minor: number;
  @ApiProperty() observation: number;
}

export class QaCertifierQualityDto {
  @ApiProperty() certifierId: string;
  @ApiProperty() certifierName: string;
  @ApiProperty({ description: 'Decided cases of the body' }) decidedCases: number;
  @ApiProperty({ description: 'Decisions checked by the sampling job' }) checkedCases: number;
  @ApiProperty({ description: 'Decisions selected for review (random share or flagged)' })
  selectedCases: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', format: 'int32' },
    description: 'Checked decisions per reason (a decision may carry several)',
    example: { sampled: 3, all_met_without_evidence: 1, decision_against_results: 0, committee_dissent: 0 },
  })
  reasons: Record<string, number>;
  @ApiProperty({ description: 'QA reviews of its cases' }) reviews: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', format: 'int32' },
    example: { issued: 1 },
  })
  reviewsByStatus: Record<string, number>;
  @ApiProperty({ type: QaSeverityCountsDto }) findingsBySeverity: QaSeverityCountsDto;
}

export class QaQualityDto {
  @ApiProperty({ type: [QaCertifierQualityDto] }) certifiers: QaCertifierQualityDto[];
}
