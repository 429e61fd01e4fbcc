import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate, PAGE_LANGUAGES, PageQueryDto, MAX_RECORD_VERSION } from '@app/common';
import { Transform } from 'class-transformer';
import {
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
  COMMITMENT_APPROVALS,
  COMMITMENT_KINDS,
  COMMITMENT_SOURCES,
  type CommitmentApproval,
  type CommitmentKind,
  type CommitmentSource,
  PATHWAY_STATUSES,
  type PathwayStatus,
} from '../entities/commitment.entity';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const blankAsAbsent = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export class CommitmentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Search in the organization name' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ example: 'PE' })
  @IsOptional()
  @Transform(blankAsAbsent)
  @Matches(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  @ApiPropertyOptional({ enum: COMMITMENT_KINDS })
  @IsOptional()
  @Transform(blankAsAbsent)
  @IsIn(COMMITMENT_KINDS)
  kind?: CommitmentKind;

  @ApiPropertyOptional({ enum: PATHWAY_STATUSES, description: "An institution's pathway status" })
  @IsOptional()
  @Transform(blankAsAbsent)
  @IsIn(PATHWAY_STATUSES)
  status?: PathwayStatus;
}

export class CommitmentsPageQueryDto extends CommitmentsQueryDto {
  @ApiPropertyOptional({ enum: PAGE_LANGUAGES })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  lang?: string;
}

export class CreateCommitmentRequestDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'An organization of the product (institution_admin: its own, the default)',
  })
  @IsOptional()
  @IsUUID('4')
  organizationId?: string;

  @ApiPropertyOptional({ description: 'Secretariat, for an organization that does not use the product' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name?: string;

  @ApiPropertyOptional({ example: 'PE' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code in capitals' })
  country?: string;

  @ApiPropertyOptional({ enum: COMMITMENT_KINDS })
  @IsOptional()
  @IsIn(COMMITMENT_KINDS)
  kind?: CommitmentKind;

  @ApiPropertyOptional({ example: '2015-06-01', description: 'Default today; never in the future' })
  @IsOptional()
  @IsCalendarDate()
  committedOn?: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(4000)
  statement?: string;
}

export class CommitmentApprovalRequestDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(4000)
  reason?: string;

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;
}

export class ImportQueryDto {
  @ApiPropertyOptional({ default: true, description: 'true: report only; false: apply all rows or none' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'false' ? false : value === 'true' ? true : value))
  @IsIn([true, false], { message: 'must be true or false' })
  dryRun?: boolean;
}

export class CommitmentCertificateDto {
  @ApiProperty() certificateNumber: string;
  @ApiProperty() status: string;
  @ApiProperty({ enum: ['issued', 'recorded'] }) origin: string;
  @ApiProperty({ example: '/api/v1/registry/CPC-2026-0042' }) href: string;
}

export class CommitmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() country: string;
  @ApiProperty({ enum: COMMITMENT_KINDS }) kind: CommitmentKind;
  @ApiProperty() committedOn: string;
  @ApiProperty({ nullable: true, type: String }) statement: string | null;
  @ApiProperty({ enum: PATHWAY_STATUSES, nullable: true }) pathwayStatus: PathwayStatus | null;
  @ApiProperty({ type: [CommitmentCertificateDto] }) certificates: CommitmentCertificateDto[];
}

export class CommitmentRecordDto extends CommitmentDto {
  @ApiProperty({ enum: COMMITMENT_SOURCES }) source: CommitmentSource;
  @ApiProperty({ enum: COMMITMENT_APPROVALS }) approval: CommitmentApproval;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) organizationId: string | null;
  @ApiProperty() version: number;
}

export class CommitmentPageDto {
  @ApiProperty({ type: [CommitmentDto] }) items: CommitmentDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class CommitmentRecordPageDto {
  @ApiProperty({ type: [CommitmentRecordDto] }) items: CommitmentRecordDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ImportRowReportDto {
  @ApiProperty({ description: 'The line in the file (1 is the header row)' }) line: number;
  @ApiProperty({ enum: ['new', 'duplicate', 'invalid'] }) outcome: 'new' | 'duplicate' | 'invalid';
  @ApiProperty({ nullable: true, type: String }) key: string | null;
  @ApiProperty({ type: [String] }) problems: string[];
}

export class ImportCountsDto {
  @ApiProperty() rows: number;
  @ApiProperty() new: number;
  @ApiProperty() duplicate: number;
  @ApiProperty() invalid: number;
}

export class ImportReportDto {
  @ApiProperty() dryRun: boolean;
  @ApiProperty() applied: boolean;
  @ApiProperty({ type: ImportCountsDto }) counts: ImportCountsDto;
  @ApiProperty({ type: [ImportRowReportDto] }) rows: ImportRowReportDto[];
}
