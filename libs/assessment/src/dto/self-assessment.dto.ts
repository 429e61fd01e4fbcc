import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ITEM_CODE_PATTERN, MAX_ITEM_CODE_LENGTH } from '@app/standards';

export class SelfAssessmentAnswerRequestDto {
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
    maxLength: 4000,
    description: 'Required for not applicable; cite the evidence (document, page)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(4000)
  comment?: string;
}

export class SelfAssessmentRequestDto {
  @ApiProperty({ type: () => SelfAssessmentAnswerRequestDto, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SelfAssessmentAnswerRequestDto)
  answers: SelfAssessmentAnswerRequestDto[];
}

export const PREFILL_SOURCE_KINDS = ['case', 'workbook'] as const;
export const PREFILL_MAPPING_KINDS = ['identical', 'equivalent', 'partial', 'broader', 'narrower'] as const;

export class PrefillSourceDto {
  @ApiProperty({ enum: PREFILL_SOURCE_KINDS }) kind: (typeof PREFILL_SOURCE_KINDS)[number];
  @ApiProperty({ description: "The source case's id, or the workbook's SHA-256" }) ref: string;
  @ApiProperty({
    enum: PREFILL_MAPPING_KINDS,
    description: 'identical: the same indicator of the same edition; else the kind of the crosswalk mapping',
  })
  mappingKind: (typeof PREFILL_MAPPING_KINDS)[number];
  @ApiProperty({ example: 'cps-2022' }) editionId: string;
  @ApiProperty({ type: String, isArray: true, description: 'The source indicators' }) fromCodes: string[];
  @ApiProperty({ nullable: true, type: String }) crosswalkId: string | null;
}

export class SelfAssessmentIndicatorDto {
  @ApiProperty() indicatorCode: string;
  @ApiProperty() applicable: boolean;
  @ApiProperty({ nullable: true, type: String }) rating: string | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why the profile makes the indicator not applicable',
  })
  inapplicableReason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt: string | null;
  @ApiProperty({
    description:
      'Whether the answer counts: true once the institution saved it (PUT confirms a pre-filled answer); false for a pre-filled proposal',
  })
  confirmed: boolean;
  @ApiProperty({
    type: () => PrefillSourceDto,
    nullable: true,
    description: 'Where a pre-filled answer came from (kept once confirmed with the same rating)',
  })
  source: PrefillSourceDto | null;
  @ApiProperty({
    description:
      'A pre-filled answer through a partial, broader or narrower mapping, or from disagreeing sources',
  })
  needsReview: boolean;
}

export class SelfAssessmentDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() editionId: string;
  @ApiProperty() applicableCount: number;
  @ApiProperty({ description: 'Applicable indicators with a confirmed answer' }) answeredCount: number;
  @ApiProperty({ description: 'Applicable indicators with a pre-filled answer not confirmed yet' })
  unconfirmedCount: number;
  @ApiProperty({ description: 'Every applicable indicator has a confirmed answer' }) isComplete: boolean;
  @ApiProperty({ type: () => SelfAssessmentIndicatorDto, isArray: true })
  answers: SelfAssessmentIndicatorDto[];
}

export class PrefillRequestDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'A previous case of the same institution (same or another edition); omit when uploading a workbook (multipart `file`)',
  })
  @IsOptional()
  @IsUUID()
  fromCaseId?: string;
}

export class PrefillQueryDto {
  @ApiPropertyOptional({
    example: 'cps-2022-to-cps-2022-v3',
    description:
      'The published crosswalk to use between the two editions (default: the latest published one from the source edition to the case edition, else one the other way turned around)',
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{1,94}$/, { message: 'must be a crosswalk id' })
  crosswalkId?: string;
}

export class PrefillCountsDto {
  @ApiProperty({ description: 'Answers written, not confirmed' }) prefilled: number;
  @ApiProperty({ description: 'Of those, flagged for review' }) needsReview: number;
  @ApiProperty({ description: 'Indicators with a confirmed answer, left unchanged' }) keptConfirmed: number;
  @ApiProperty({ description: 'Indicators the profile makes not applicable' }) notApplicableHere: number;
  @ApiProperty({ description: 'Applicable indicators no source answer reaches' }) unmapped: number;
}

export class PrefillSummaryDto {
  @ApiProperty({ enum: PREFILL_SOURCE_KINDS }) kind: (typeof PREFILL_SOURCE_KINDS)[number];
  @ApiProperty() ref: string;
  @ApiProperty() editionId: string;
  @ApiProperty({ nullable: true, type: String }) crosswalkId: string | null;
  @ApiProperty({ type: () => PrefillCountsDto }) counts: PrefillCountsDto;
}

export class PrefillResultDto extends SelfAssessmentDto {
  @ApiProperty({ type: () => PrefillSummaryDto }) prefill: PrefillSummaryDto;
}
