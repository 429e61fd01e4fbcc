import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsCalendarDate,
  ORGANIZATION_KINDS,
  type OrganizationKind,
  PageQueryDto,
  MAX_RECORD_VERSION,
} from '@app/common';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { IsOptionalNotNull } from './optional-not-null.decorator';

const MAX_DRIVERS = 50;
const MAX_DRIVER_TEXT = 100;

/** Up to 50 driver values keyed like edition driver keys; scalar values only. */
@ValidatorConstraint({ name: 'driverValues' })
class DriverValuesConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const entries = Object.entries(value);
    return (
      entries.length <= MAX_DRIVERS &&
      entries.every(
        ([key, entry]) =>
          /^[a-z][A-Za-z0-9]{0,63}$/.test(key) &&
          (typeof entry === 'boolean' ||
            (typeof entry === 'number' && Number.isFinite(entry)) ||
            (typeof entry === 'string' && entry.length <= MAX_DRIVER_TEXT)),
      )
    );
  }

  defaultMessage(): string {
    return 'must be an object of at most 50 driver keys (letters and digits, starting lower-case) with boolean, number or short string values';
  }
}

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;

export class InstitutionProfileDto {
  @ApiProperty({ example: 'NGO', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  legalForm: string;

  @ApiProperty() @IsBoolean() offersCredit: boolean;
  @ApiProperty() @IsBoolean() offersSavings: boolean;
  @ApiProperty() @IsBoolean() offersInsurance: boolean;
  @ApiProperty() @IsBoolean() offersPayments: boolean;
  @ApiProperty() @IsBoolean() usesDigitalChannels: boolean;
  @ApiProperty() @IsBoolean() usesAgents: boolean;
  @ApiProperty() @IsBoolean() groupLending: boolean;
  @ApiProperty() @IsBoolean() creditBureauAvailable: boolean;

  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  clientCount: number;

  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  branchCount: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      oneOf: [{ type: 'boolean' }, { type: 'number' }, { type: 'string', maxLength: MAX_DRIVER_TEXT }],
    },
    maxProperties: MAX_DRIVERS,
    example: { memberCount: 12000, regulatedBy: 'central_bank' },
    description:
      'Values of applicability drivers that editions declare beyond the fields above (keys are driver keys, values booleans, numbers or strings); an edition with a new driver needs no code change',
  })
  @IsOptionalNotNull()
  @Validate(DriverValuesConstraint)
  drivers?: Record<string, boolean | number | string>;
}

export class LicenseRequestDto {
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  @IsCalendarDate()
  validFrom: string;

  @ApiProperty({ format: 'date', example: '2027-12-31' })
  @IsCalendarDate()
  validUntil: string;
}

export class CreateOrganizationRequestDto {
  @ApiProperty({ enum: ORGANIZATION_KINDS })
  @IsIn(ORGANIZATION_KINDS)
  kind: OrganizationKind;

  @ApiProperty({ maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'PE' })
  @Transform(upper)
  @IsISO31661Alpha2()
  country: string;

  @ApiPropertyOptional({ type: () => InstitutionProfileDto, description: 'Institutions only' })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => InstitutionProfileDto)
  profile?: InstitutionProfileDto;

  @ApiPropertyOptional({ type: () => LicenseRequestDto, description: 'Certifiers only' })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => LicenseRequestDto)
  license?: LicenseRequestDto;
}

export class UpdateOrganizationRequestDto {
  @ApiProperty({ description: 'The version that was read', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'PE' })
  @IsOptionalNotNull()
  @Transform(upper)
  @IsISO31661Alpha2()
  country?: string;

  @ApiPropertyOptional({
    type: () => InstitutionProfileDto,
    description: 'Institutions only; replaces the profile',
  })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => InstitutionProfileDto)
  profile?: InstitutionProfileDto;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 15,
    description: "Certifiers only, set by the certifier's admin or the secretariat admin (audited)",
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(15)
  committeeQuorum?: number;
}

export const PENDING_CHANGE_DECISIONS = ['approve', 'reject'] as const;
export type PendingChangeDecision = (typeof PENDING_CHANGE_DECISIONS)[number];

export class PendingChangeDecisionRequestDto {
  @ApiProperty({ enum: PENDING_CHANGE_DECISIONS })
  @IsIn(PENDING_CHANGE_DECISIONS)
  decision: PendingChangeDecision;

  @ApiProperty({ maxLength: 4000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason: string;
}

export class PendingChangeDto {
  @ApiProperty() name: string;
  @ApiProperty({ example: 'PE' }) country: string;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
}

export class ListOrganizationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORGANIZATION_KINDS })
  @IsOptional()
  @IsIn(ORGANIZATION_KINDS)
  kind?: OrganizationKind;
}

export class LicenseDto {
  @ApiProperty({ format: 'date' })
  validFrom: string;

  @ApiProperty({ format: 'date' })
  validUntil: string;

  @ApiProperty({ description: 'Whether the license covers today' })
  isValidToday: boolean;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ORGANIZATION_KINDS })
  kind: OrganizationKind;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'PE' })
  country: string;

  @ApiProperty({ type: () => InstitutionProfileDto, nullable: true })
  profile: InstitutionProfileDto | null;

  @ApiProperty({ type: () => LicenseDto, nullable: true })
  license: LicenseDto | null;

  @ApiProperty({
    type: () => PendingChangeDto,
    nullable: true,
    description:
      'A name or country change of an institution that holds an active certificate, waiting for the secretariat',
  })
  pendingChange: PendingChangeDto | null;

  @ApiProperty({
    type: 'integer',
    format: 'int32',
    nullable: true,
    minimum: 1,
    maximum: 15,
    description: 'Certifiers only: committee votes needed before a decision is sealed (default 2)',
  })
  committeeQuorum: number | null;

  @ApiProperty()
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class OrganizationPageDto {
  @ApiProperty({ type: () => OrganizationDto, isArray: true })
  items: OrganizationDto[];

  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
