import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto, MAX_RECORD_VERSION } from '@app/common';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '@app/common';
import { InstitutionProfileDto } from '@app/identity';
import { CASE_STATUSES, CASE_TYPES, type CaseStatus, type CaseType } from '../case-status';
import { CASE_ACTIONS, type CaseAction } from '../transitions/case-action';
import { PAYLOAD_PARSERS } from '../transitions/transition-payloads';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const CERTIFICATE_NUMBER = /^[A-Z]{2,6}-\d{4}-\d{4,6}$/;

export class CreateCaseRequestDto {
  @ApiProperty({ example: 'cps-2016' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'must be an edition id such as cps-2016' })
  editionId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  certifierId: string;

  @ApiProperty({ enum: CASE_TYPES })
  @IsIn(CASE_TYPES)
  type: CaseType;

  @ApiPropertyOptional({
    example: 'CPC-2026-0042',
    description: 'Check-ins and renewals: the certificate concerned',
  })
  @IsOptional()
  @Matches(CERTIFICATE_NUMBER, { message: 'must be a certificate number such as CPC-2026-0042' })
  certificateNumber?: string;
}

export class UpdateCaseRequestDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;

  @ApiPropertyOptional({ example: 'cps-2022' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'must be an edition id such as cps-2016' })
  editionId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  certifierId?: string;

  @ApiPropertyOptional({ enum: CASE_TYPES })
  @IsOptional()
  @IsIn(CASE_TYPES)
  type?: CaseType;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @Matches(CERTIFICATE_NUMBER, { message: 'must be a certificate number such as CPC-2026-0042' })
  certificateNumber?: string;
}

export class ListCasesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: CaseStatus;

  @ApiPropertyOptional({ enum: CASE_TYPES })
  @IsOptional()
  @IsIn(CASE_TYPES)
  type?: CaseType;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  certifierId?: string;
}

export class TransitionRequestDto {
  @ApiProperty({ enum: CASE_ACTIONS })
  @IsIn(CASE_ACTIONS)
  action: CaseAction;

  @ApiProperty({ minimum: 1, description: 'The case version that was read' })
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(4000)
  reason?: string;

  @ApiPropertyOptional({
    description:
      'The payload of the action, one schema per action (the schema titled with the action). ' +
      "Parsed once by the action's row of the transition table; 400 with the field named otherwise.",
    oneOf: CASE_ACTIONS.map((action) => ({ title: action, ...PAYLOAD_PARSERS[action].schema })),
  })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class AssignTeamRequestDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  leadRaterId: string;

  @ApiProperty({ type: String, format: 'uuid', isArray: true })
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  raterIds: string[];

  @ApiProperty({ type: String, format: 'uuid', isArray: true })
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  committeeMemberIds: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'One of committeeMemberIds: their vote breaks a tie; omitted or null for no chair',
  })
  @IsOptional()
  @IsUUID()
  committeeChairId?: string | null;
}

export class ConflictDeclarationRequestDto {
  @ApiProperty()
  @IsBoolean()
  hasConflict: boolean;

  @ApiProperty({ maxLength: 4000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  statement: string;
}

export class InterviewCountsDto {
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100000) clients: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100000) staff: number;
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(100000) management: number;
}

export class BranchCountsDto {
  @ApiProperty({ maxLength: 200, description: 'A branch of branchesVisited' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ minimum: 0, description: 'Interviews held at the branch' })
  @IsInt()
  @Min(0)
  @Max(100000)
  interviews: number;

  @ApiProperty({ minimum: 0, description: 'Focus groups held at the branch' })
  @IsInt()
  @Min(0)
  @Max(100000)
  focusGroups: number;
}

export class AmendCaseProfileRequestDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;

  @ApiProperty({ type: () => InstitutionProfileDto })
  @IsObject()
  @ValidateNested()
  @Type(() => InstitutionProfileDto)
  profile: InstitutionProfileDto;

  @ApiProperty({ maxLength: 4000, description: 'Why the submitted profile is amended (audited)' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reason: string;
}

export class MissionRequestDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_RECORD_VERSION)
  version: number;

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  startsOn: string;

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  endsOn: string;

  @ApiProperty({ type: String, isArray: true })
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  branchesVisited: string[];

  @ApiProperty({ type: () => InterviewCountsDto })
  @ValidateNested()
  @Type(() => InterviewCountsDto)
  interviews: InterviewCountsDto;

  @ApiPropertyOptional({
    type: () => BranchCountsDto,
    isArray: true,
    description:
      'Interview and focus-group counts per branch visited (each name once, one of branchesVisited)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BranchCountsDto)
  branches?: BranchCountsDto[];
}

export class PriorServiceRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  institutionId: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The person who served; omit for the body as a whole' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiProperty({ enum: ['consulting', 'pre_certification', 'other'] })
  @IsIn(['consulting', 'pre_certification', 'other'])
  kind: 'consulting' | 'pre_certification' | 'other';

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  endedOn: string;
}

// Responses

export class PartyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional() country?: string;
}

export class EditionRefDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
}

export class DeclarationSummaryDto {
  @ApiProperty() hasConflict: boolean;
  @ApiProperty({ format: 'date-time' }) declaredAt: string;
}

export class TeamMemberDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: () => DeclarationSummaryDto, nullable: true })
  declaration: DeclarationSummaryDto | null;
}

export class TeamDto {
  @ApiProperty({ type: () => TeamMemberDto, nullable: true }) leadRater: TeamMemberDto | null;
  @ApiProperty({ type: () => TeamMemberDto, isArray: true }) raters: TeamMemberDto[];
  @ApiProperty({ type: () => TeamMemberDto, isArray: true }) committeeMembers: TeamMemberDto[];
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Casts the deciding vote in a tie',
  })
  committeeChairId: string | null;
}

export class InterviewsDto {
  @ApiProperty() clients: number;
  @ApiProperty() staff: number;
  @ApiProperty() management: number;
}

export class MissionDto {
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty({ format: 'date' }) endsOn: string;
  @ApiProperty({ type: String, isArray: true }) branchesVisited: string[];
  @ApiProperty({ type: () => InterviewsDto }) interviews: InterviewsDto;
  @ApiProperty({ type: () => BranchCountsDto, isArray: true }) branches: BranchCountsDto[];
}

export class DeadlinesDto {
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The certification body answers a submission by then (10 working days)',
  })
  acceptanceDueOn: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) responseDueOn: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) appealDueOn: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Under appeal: the certification body answers by then (14 calendar days)',
  })
  appealResponseDueOn: string | null;
  @ApiProperty({ description: 'Under appeal past appealResponseDueOn (the secretariat follows it up)' })
  isAppealResponseOverdue: boolean;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: "After an appeal's resolution: the institution may escalate it until then",
  })
  escalationDueOn: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The engagement was postponed until then',
  })
  postponedUntil: string | null;
}

export class CaseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: CASE_TYPES }) type: CaseType;
  @ApiProperty({ enum: CASE_STATUSES }) status: CaseStatus;
  @ApiProperty({ type: () => PartyDto }) institution: PartyDto;
  @ApiProperty({ type: () => PartyDto }) certifier: PartyDto;
  @ApiProperty({ type: () => EditionRefDto }) edition: EditionRefDto;
  @ApiProperty({ type: () => TeamDto }) team: TeamDto;
  @ApiProperty({ type: () => MissionDto, nullable: true }) mission: MissionDto | null;
  @ApiProperty({ type: () => DeadlinesDto }) deadlines: DeadlinesDto;
  @ApiProperty({
    enum: ['certified', 'not_certified'],
    nullable: true,
    description: "The committee's outcome once decided",
  })
  outcome: 'certified' | 'not_certified' | null;
  @ApiProperty({ nullable: true, type: String, example: 'silver' }) level: string | null;
  @ApiProperty({ description: 'A confidential pre-assessment: never published, never in the registry' })
  isPreAssessment: boolean;
  @ApiProperty({
    type: String,
    isArray: true,
    nullable: true,
    description: 'Reopened by an upheld appeal or escalation: only these ratings may change',
  })
  reopenedIndicatorCodes: string[] | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'For a check-in or a renewal: the certificate it concerns',
  })
  certificateNumber: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The certificate the publication of this case issued; null before (and for a check-in)',
  })
  issuedCertificateNumber: string | null;
  @ApiProperty({
    type: () => InstitutionProfileDto,
    nullable: true,
    description:
      'The institution profile that decides applicability: snapshotted at submit (amended by the lead rater); ' +
      "a draft shows the institution's current profile",
  })
  profile: InstitutionProfileDto | null;
  @ApiProperty({ enum: CASE_ACTIONS, isArray: true, description: 'What this caller may do now' })
  availableActions: CaseAction[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CasePageDto {
  @ApiProperty({ type: () => CaseDto, isArray: true }) items: CaseDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class HistoryActorDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) id: string | null;
  @ApiProperty() name: string;
}

export class HistoryEventDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: () => HistoryActorDto }) actor: HistoryActorDto;
  @ApiProperty() action: string;
  @ApiProperty({ nullable: true, type: String }) fromStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) toStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
}

export class ConflictDeclarationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() hasConflict: boolean;
  @ApiProperty() statement: string;
  @ApiProperty({ format: 'date-time' }) declaredAt: string;
}

export class PriorServiceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) certifierId: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) userId: string | null;
  @ApiProperty() kind: string;
  @ApiProperty({ format: 'date' }) endedOn: string;
  @ApiProperty({ format: 'date', description: 'Until this date the service blocks assignment (24 months)' })
  blocksUntil: string;
}

export class PriorServicePageDto {
  @ApiProperty({ type: () => PriorServiceDto, isArray: true }) items: PriorServiceDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
