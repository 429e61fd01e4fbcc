import { MAX_ITEM_CODE_LENGTH } from '@app/standards';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate, MAX_RECORD_VERSION } from '@app/common';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
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
import { ACTION_STATUSES, type ActionStatus } from '../entities/corrective-action.entity';
import { VERIFICATION_RESULTS, type VerificationResult } from '../entities/action-verification.entity';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateRecommendationRequestDto {
  @ApiProperty({ maxLength: 8000, description: 'What the institution should do to reach the next level' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  description: string;

  @ApiPropertyOptional({ type: String, isArray: true, example: ['1.1.2'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @MaxLength(MAX_ITEM_CODE_LENGTH, { each: true })
  @Matches(/^\d+\.\d+\.\d+$/, { each: true, message: 'each value must be an indicator code such as 2.1.3' })
  indicatorCodes?: string[];

  @ApiPropertyOptional({ maxLength: 200, description: 'A name at the institution' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  ownerName?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  dueOn?: string;
}

export class UpdateActionRequestDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;

  @ApiPropertyOptional({
    enum: ACTION_STATUSES,
    description: '`open`, `in_progress` or `done`; `verified` and `not_verified` come from a verification',
  })
  @IsOptional()
  @IsIn(ACTION_STATUSES)
  status?: ActionStatus;

  @ApiPropertyOptional({ maxLength: 200, description: 'A name at the institution' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  ownerName?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  dueOn?: string;

  @ApiPropertyOptional({ maxLength: 8000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(8000)
  note?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    isArray: true,
    description: 'Evidence of the case the action is worked in',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  evidenceIds?: string[];
}

export class ActionVerificationRequestDto {
  @ApiProperty({ enum: VERIFICATION_RESULTS })
  @IsIn(VERIFICATION_RESULTS)
  result: VerificationResult;

  @ApiProperty({ maxLength: 8000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  note: string;
}

export class ActionVerificationDto {
  @ApiProperty({ format: 'uuid', description: 'The case the verification was recorded in' }) caseId: string;
  @ApiProperty({ enum: VERIFICATION_RESULTS }) result: VerificationResult;
  @ApiProperty() note: string;
  @ApiProperty({ format: 'uuid' }) verifiedBy: string;
  @ApiProperty({ format: 'date-time' }) verifiedAt: string;
}

export class CorrectiveActionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The case whose finding or recommendation created it' })
  caseId: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'null for a recommendation' })
  findingId: string | null;
  @ApiProperty({ enum: ['finding', 'recommendation'] }) kind: 'finding' | 'recommendation';
  @ApiProperty({ type: String, isArray: true }) indicatorCodes: string[];
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: String }) ownerName: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) dueOn: string | null;
  @ApiProperty({ enum: ACTION_STATUSES }) status: ActionStatus;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: String, format: 'uuid', isArray: true }) evidenceIds: string[];
  @ApiProperty({ description: 'Carried from an earlier case (the improvement plan of its certificate)' })
  carriedIn: boolean;
  @ApiProperty({ description: "Carried into a certificate's improvement plan at a decision" })
  inImprovementPlan: boolean;
  @ApiProperty({
    type: () => ActionVerificationDto,
    nullable: true,
    description: 'The verification recorded in this case (in the plan: the latest one)',
  })
  verification: ActionVerificationDto | null;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CaseActionsDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: () => CorrectiveActionDto, isArray: true }) items: CorrectiveActionDto[];
}

export class ImprovementPlanDto {
  @ApiProperty() certificateNumber: string;
  @ApiProperty({ type: () => CorrectiveActionDto, isArray: true }) actions: CorrectiveActionDto[];
}
