import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate, MAX_RECORD_VERSION } from '@app/common';
import { Transform } from 'class-transformer';
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
} from 'class-validator';
import {
  FINDING_SEVERITIES,
  FINDING_STATUSES,
  type FindingSeverity,
  type FindingStatus,
} from '../entities/finding.entity';
import { ITEM_CODE_PATTERN, MAX_ITEM_CODE_LENGTH } from '@app/standards';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateFindingRequestDto {
  @ApiProperty({ type: String, isArray: true, example: ['2.1.3'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @MaxLength(MAX_ITEM_CODE_LENGTH, { each: true })
  @Matches(ITEM_CODE_PATTERN, {
    each: true,
    message: 'each value must be an indicator code such as 2.1.3 or 4A.1.1',
  })
  indicatorCodes: string[];

  @ApiProperty({ enum: FINDING_SEVERITIES })
  @IsIn(FINDING_SEVERITIES)
  severity: FindingSeverity;

  @ApiProperty({ maxLength: 8000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  description: string;

  @ApiProperty({ maxLength: 8000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  recommendation: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  correctiveActionDueOn?: string;
}

export class UpdateFindingRequestDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;

  @ApiPropertyOptional({ type: String, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @MaxLength(MAX_ITEM_CODE_LENGTH, { each: true })
  @Matches(ITEM_CODE_PATTERN, {
    each: true,
    message: 'each value must be an indicator code such as 2.1.3 or 4A.1.1',
  })
  indicatorCodes?: string[];

  @ApiPropertyOptional({ enum: FINDING_SEVERITIES })
  @IsOptional()
  @IsIn(FINDING_SEVERITIES)
  severity?: FindingSeverity;

  @ApiPropertyOptional({ maxLength: 8000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 8000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  recommendation?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  correctiveActionDueOn?: string;
}

export class FindingResponseRequestDto {
  @ApiProperty({ maxLength: 8000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  text: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  evidenceIds?: string[];
}

export class FindingResolutionRequestDto {
  @ApiProperty({ enum: ['resolved', 'unresolved'] })
  @IsIn(['resolved', 'unresolved'])
  status: 'resolved' | 'unresolved';

  @ApiProperty({ maxLength: 8000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  note: string;
}

export class FindingResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() text: string;
  @ApiProperty({ type: String, format: 'uuid', isArray: true }) evidenceIds: string[];
  @ApiProperty({ format: 'uuid' }) respondedBy: string;
  @ApiProperty({ format: 'date-time' }) respondedAt: string;
}

export class FindingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: String, isArray: true }) indicatorCodes: string[];
  @ApiProperty({ enum: FINDING_SEVERITIES }) severity: FindingSeverity;
  @ApiProperty() description: string;
  @ApiProperty() recommendation: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) correctiveActionDueOn: string | null;
  @ApiProperty({ enum: FINDING_STATUSES }) status: FindingStatus;
  @ApiProperty({ nullable: true, type: String }) resolutionNote: string | null;
  @ApiProperty({ type: () => FindingResponseDto, isArray: true }) responses: FindingResponseDto[];
  @ApiProperty() version: number;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class FindingPageDto {
  @ApiProperty({ type: () => FindingDto, isArray: true }) items: FindingDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
