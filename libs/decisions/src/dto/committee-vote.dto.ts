import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_OUTCOMES, type CaseOutcome } from '@app/cases';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CastVoteRequestDto {
  @ApiProperty({ enum: CASE_OUTCOMES })
  @IsIn(CASE_OUTCOMES)
  outcome: CaseOutcome;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'A level of a tiered edition (certified only), at most the earned one; omitted = the earned level',
  })
  @IsOptional()
  @ValidateIf((_object, value) => value !== null)
  @IsString()
  @Matches(/^[a-z][a-z_]{0,49}$/)
  level?: string | null;

  @ApiProperty({ maxLength: 8000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  rationale: string;
}

export class VoterDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class CommitteeVoteDto {
  @ApiProperty({ description: 'The referral to the committee the vote belongs to' }) round: number;
  @ApiProperty({ type: () => VoterDto }) voter: VoterDto;
  @ApiProperty({ description: 'A changed vote is a new version; the latest counts' }) version: number;
  @ApiProperty() isLatest: boolean;
  @ApiProperty({ enum: CASE_OUTCOMES }) outcome: CaseOutcome;
  @ApiProperty({ type: String, nullable: true }) level: string | null;
  @ApiProperty() rationale: string;
  @ApiProperty({ format: 'date-time' }) castAt: string;
}

export class VoteSummaryDto {
  @ApiProperty({ enum: CASE_OUTCOMES }) outcome: CaseOutcome;
  @ApiProperty({ type: String, nullable: true }) level: string | null;
  @ApiProperty({ description: 'How many counted votes disagreed with the decision' }) dissentCount: number;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
}

export class CommitteeVotesDto {
  @ApiProperty({ description: 'The current referral to the committee (0 before the first)' }) round: number;
  @ApiProperty({ description: "The certification body's quorum" }) quorum: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) chairId: string | null;
  @ApiProperty({
    type: () => CommitteeVoteDto,
    isArray: true,
    description:
      'Every version of every vote, for the committee members of the case, its certification body admin and ' +
      'the secretariat; always empty for the institution',
  })
  votes: CommitteeVoteDto[];
  @ApiProperty({
    type: () => VoteSummaryDto,
    nullable: true,
    description: 'The latest sealed decision: outcome and dissent count, no names (null before the first)',
  })
  summary: VoteSummaryDto | null;
}
