import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate } from '@app/common';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { INDICATOR_CODE_PATTERN } from './evidence.dto';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateEvidenceRequestDto {
  @ApiProperty({ type: [String], example: ['2.1.3', '2.1.4'], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(INDICATOR_CODE_PATTERN, {
    each: true,
    message: 'each value must be an indicator code such as 2.1.3',
  })
  indicatorCodes: string[];

  @ApiProperty({ maxLength: 2000, example: 'The loan officers’ training records for 2025' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description: string;

  @ApiProperty({ format: 'date', example: '2026-12-15', description: 'Today or later' })
  @IsCalendarDate()
  dueOn: string;
}

export class EvidenceRequestFulfilmentDto {
  @ApiProperty({ format: 'uuid' }) evidenceId: string;
  @ApiProperty({ format: 'uuid' }) versionId: string;
  @ApiProperty({ minimum: 1 }) version: number;
  @ApiProperty({ type: [String], description: 'The evidence’s indicators that the request asked for' })
  indicatorCodes: string[];
  @ApiProperty({ format: 'date-time' }) linkedAt: string;
}

export const EVIDENCE_REQUEST_STATUSES = ['open', 'fulfilled'] as const;
export type EvidenceRequestStatus = (typeof EVIDENCE_REQUEST_STATUSES)[number];

export class EvidenceRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ type: [String] }) indicatorCodes: string[];
  @ApiProperty() description: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({
    enum: EVIDENCE_REQUEST_STATUSES,
    description: '`fulfilled` once evidence uploaded after the request covers each of its indicators',
  })
  status: EvidenceRequestStatus;
  @ApiProperty({ type: [String], description: 'Requested indicators no linked evidence covers yet' })
  outstandingIndicatorCodes: string[];
  @ApiProperty({ description: 'Still open after its due date' }) isOverdue: boolean;
  @ApiProperty({ type: () => [EvidenceRequestFulfilmentDto] }) fulfilments: EvidenceRequestFulfilmentDto[];
  @ApiProperty({ format: 'uuid' }) requestedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class EvidenceRequestPageDto {
  @ApiProperty({ type: () => [EvidenceRequestDto] }) items: EvidenceRequestDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
