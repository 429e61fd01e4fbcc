import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@app/common';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const INDICATOR_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/;

/** One uploaded file of a piece of evidence. */
export class EvidenceVersionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) evidenceId: string;
  @ApiProperty({ minimum: 1, description: 'The version number, from 1' }) version: number;
  @ApiProperty({ description: 'Sanitised; the name the file downloads under' }) fileName: string;
  @ApiProperty({ description: 'Detected from the content', example: 'application/pdf' }) contentType: string;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) sha256: string;
  @ApiProperty({ format: 'uuid', description: 'The user who uploaded it' }) uploadedBy: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;
}

/** A piece of evidence with its latest version (the answer to an upload and the list item). */
export class EvidenceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ minimum: 1, description: 'The number of the latest version' }) version: number;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: [String], example: ['1.1.1', '2.1.3'] }) indicatorCodes: string[];
  @ApiProperty({ format: 'uuid', description: 'The latest version' }) versionId: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ example: 'application/pdf' }) contentType: string;
  @ApiProperty() size: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) sha256: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** A piece of evidence with every version, oldest first. */
export class EvidenceDetailDto extends EvidenceDto {
  @ApiProperty({ type: () => [EvidenceVersionDto] }) versions: EvidenceVersionDto[];
}

export class EvidencePageDto {
  @ApiProperty({ type: () => [EvidenceDto] }) items: EvidenceDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ListEvidenceQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2.1.3', description: 'Only evidence linked to this indicator' })
  @IsOptional()
  @IsString()
  @Matches(INDICATOR_CODE_PATTERN, { message: 'must be an indicator code such as 2.1.3' })
  indicatorCode?: string;
}

export const EVIDENCE_DELIVERIES = ['stream', 'redirect'] as const;
export type EvidenceDelivery = (typeof EVIDENCE_DELIVERIES)[number];

export class EvidenceContentQueryDto {
  @ApiPropertyOptional({ minimum: 1, description: 'Default: the latest version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version?: number;

  @ApiPropertyOptional({
    enum: EVIDENCE_DELIVERIES,
    default: 'stream',
    description:
      '`redirect`: with S3 storage, 302 to a presigned URL valid at most 300 seconds; ' +
      'local storage streams the bytes either way',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsIn(EVIDENCE_DELIVERIES)
  delivery?: EvidenceDelivery;
}
