import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PAGE_LANGUAGES, type PageLanguage, PageQueryDto } from '@app/common';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import {
  CERTIFICATE_ORIGINS,
  CERTIFICATE_STATUSES,
  type CertificateOrigin,
  type CertificateStatus,
} from '../entities/certificate.entity';

export const CERTIFICATE_ACTIONS = ['suspend', 'reinstate', 'revoke'] as const;
export type CertificateAction = (typeof CERTIFICATE_ACTIONS)[number];

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
// A field left empty in an HTML form arrives as `?country=`: no filter, not an invalid one.
const blankAsAbsent = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export class CertificateActionRequestDto {
  @ApiProperty({ enum: CERTIFICATE_ACTIONS })
  @IsIn(CERTIFICATE_ACTIONS)
  action: CertificateAction;

  @ApiProperty({ maxLength: 4000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason: string;
}

export class ListCertificatesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CERTIFICATE_STATUSES })
  @IsOptional()
  @IsIn(CERTIFICATE_STATUSES)
  status?: CertificateStatus;
}

export const REGISTRY_SORTS = [
  'issuedOn',
  '-issuedOn',
  'name',
  '-name',
  'validUntil',
  '-validUntil',
] as const;

export class RegistryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Search in the institution name' })
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

  @ApiPropertyOptional({ description: 'Certification body name (exact, case-insensitive)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  certifier?: string;

  @ApiPropertyOptional({ example: 'silver' })
  @IsOptional()
  @Transform((params) => {
    const value = blankAsAbsent(params);
    return typeof value === 'string' ? value.trim().toLowerCase() : value;
  })
  @Matches(/^[a-z][a-z_]{0,49}$/, { message: 'must be a level such as silver' })
  level?: string;

  @ApiPropertyOptional({ enum: [...CERTIFICATE_STATUSES, 'all'], default: 'active' })
  @IsOptional()
  @Transform(blankAsAbsent)
  @IsIn([...CERTIFICATE_STATUSES, 'all'])
  status?: CertificateStatus | 'all';

  @ApiPropertyOptional({ enum: REGISTRY_SORTS, default: '-issuedOn' })
  @IsOptional()
  @Transform(blankAsAbsent)
  @IsIn(REGISTRY_SORTS)
  sort?: (typeof REGISTRY_SORTS)[number];
}

export class CertificateHolderDto {
  @ApiProperty() name: string;
  @ApiProperty({ example: 'PE' }) country: string;
}

export class CertificateInstitutionDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for a recorded holder' })
  id: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'PE' }) country: string;
}

export class CertificateCertifierDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for a recorded certifier' })
  id: string | null;
  @ApiProperty() name: string;
}

export class CertifierNameDto {
  @ApiProperty() name: string;
}

export class CertificateDto {
  @ApiProperty({ example: 'CPC-2026-0042' }) certificateNumber: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Null for a recorded certificate',
  })
  caseId: string | null;
  @ApiProperty({
    type: () => CertificateInstitutionDto,
    description: 'The holder organization as it is named today',
  })
  institution: CertificateInstitutionDto;
  @ApiProperty({ type: () => CertificateHolderDto, description: 'The holder as certified' })
  holder: CertificateHolderDto;
  @ApiProperty({ type: () => CertificateCertifierDto }) certifier: CertificateCertifierDto;
  @ApiProperty({
    enum: CERTIFICATE_ORIGINS,
    description: 'issued by the product, or recorded from outside it',
  })
  origin: CertificateOrigin;
  @ApiProperty() edition: string;
  @ApiProperty({ nullable: true, type: String }) level: string | null;
  @ApiProperty({ format: 'date', description: "The committee's decision (or the appeal resolution)" })
  decidedOn: string;
  @ApiProperty({ format: 'date', description: 'Validity counts from this date (the decision date)' })
  issuedOn: string;
  @ApiProperty({ format: 'date', description: 'The day the secretariat published it' }) publishedOn: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) checkedInOn: string | null;
  @ApiProperty({ description: 'The check-in date passed without a certified check-in' })
  checkInOverdue: boolean;
  @ApiProperty({ format: 'date', nullable: true, type: String }) checkInDueOn: string | null;
  @ApiProperty({ format: 'date' }) validUntil: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status: CertificateStatus;
  @ApiProperty({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ nullable: true, type: String }) supersededBy: string | null;
  @ApiProperty({ nullable: true, type: String }) packageSha256: string | null;
  @ApiProperty() version: number;
}

export class CertificatePageDto {
  @ApiProperty({ type: () => CertificateDto, isArray: true }) items: CertificateDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class RegistryEntryDto {
  @ApiProperty() certificateNumber: string;
  @ApiProperty({ type: () => CertificateHolderDto, description: 'The holder as certified' })
  holder: CertificateHolderDto;
  @ApiProperty({
    type: () => CertificateHolderDto,
    description: 'The same as holder (kept for existing clients)',
  })
  institution: CertificateHolderDto;
  @ApiProperty({ type: () => CertifierNameDto }) certifier: CertifierNameDto;
  @ApiProperty() edition: string;
  @ApiProperty({ nullable: true, type: String }) level: string | null;
  @ApiProperty({ format: 'date' }) decidedOn: string;
  @ApiProperty({ format: 'date', description: 'Validity counts from this date (the decision date)' })
  issuedOn: string;
  @ApiProperty({ format: 'date' }) publishedOn: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) checkInDueOn: string | null;
  @ApiProperty({ description: 'The check-in date passed without a certified check-in' })
  checkInOverdue: boolean;
  @ApiProperty({ format: 'date' }) validUntil: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status: CertificateStatus;
  @ApiProperty({
    enum: CERTIFICATE_ORIGINS,
    description: '`recorded`: issued outside the product (historical registry), not by it',
  })
  origin: CertificateOrigin;
}

export class RegistryPageDto {
  @ApiProperty({ type: () => RegistryEntryDto, isArray: true }) items: RegistryEntryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class VerificationDto {
  @ApiProperty() certificateNumber: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status: CertificateStatus;
  @ApiProperty({ description: 'Active and within its validity' }) valid: boolean;
  @ApiProperty({ type: () => CertificateHolderDto, description: 'The holder as certified' })
  holder: CertificateHolderDto;
  @ApiProperty({
    type: () => CertificateHolderDto,
    description: 'The same as holder (kept for existing clients)',
  })
  institution: CertificateHolderDto;
  @ApiProperty({ type: () => CertifierNameDto }) certifier: CertifierNameDto;
  @ApiProperty({ nullable: true, type: String }) level: string | null;
  @ApiProperty({ format: 'date' }) decidedOn: string;
  @ApiProperty({ format: 'date', description: 'Validity counts from this date (the decision date)' })
  issuedOn: string;
  @ApiProperty({ format: 'date' }) publishedOn: string;
  @ApiProperty() checkInOverdue: boolean;
  @ApiProperty({ format: 'date' }) validUntil: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null for a recorded certificate' })
  packageSha256: string | null;
  @ApiProperty({
    enum: CERTIFICATE_ORIGINS,
    description: '`recorded`: issued outside the product (historical registry), not by it',
  })
  origin: CertificateOrigin;
  @ApiProperty({ example: 'cps-2022', description: 'The standards edition certified against' })
  edition: string;
}

export class RegistryPageQueryDto extends RegistryQueryDto {
  @ApiPropertyOptional({ enum: PAGE_LANGUAGES, description: 'Otherwise from Accept-Language' })
  @IsOptional()
  @IsIn(PAGE_LANGUAGES)
  lang?: PageLanguage;
}
