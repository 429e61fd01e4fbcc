import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DecidedByDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class EscalationDto {
  @ApiProperty() grounds: string;
  @ApiProperty({ format: 'date-time' }) escalatedAt: string;
  @ApiProperty({ enum: ['upheld', 'overturned'], nullable: true }) result: 'upheld' | 'overturned' | null;
  @ApiProperty({ nullable: true, type: String }) rationale: string | null;
  @ApiProperty({ nullable: true, type: String, isArray: true }) reopenIndicators: string[] | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) resolvedAt: string | null;
}

export class AppealDto {
  @ApiProperty() grounds: string;
  @ApiProperty({ format: 'date-time' }) appealedAt: string;
  @ApiProperty({ enum: ['upheld', 'overturned'], nullable: true }) result: 'upheld' | 'overturned' | null;
  @ApiProperty({ nullable: true, type: String }) rationale: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) resolvedBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) resolvedAt: string | null;
  @ApiProperty({
    type: () => EscalationDto,
    nullable: true,
    description: 'The escalation to the secretariat',
  })
  escalation: EscalationDto | null;
}

export class DecisionDto {
  @ApiProperty({ enum: ['certified', 'not_certified'] }) outcome: 'certified' | 'not_certified';
  @ApiProperty({ nullable: true, type: String }) level: string | null;
  @ApiProperty() rationale: string;
  @ApiProperty({ type: () => DecidedByDto }) decidedBy: DecidedByDto;
  @ApiProperty({ format: 'date-time' }) decidedAt: string;
  @ApiProperty({ description: 'SHA-256 of the sealed decision package (canonical JSON)' })
  packageSha256: string;
  @ApiProperty({ enum: ['decision', 'appeal_resolution'], description: 'What produced the outcome in force' })
  kind: 'decision' | 'appeal_resolution';
  @ApiPropertyOptional({ type: () => AppealDto }) appeal?: AppealDto;
}
