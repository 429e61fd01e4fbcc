import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const BENCHMARK_GROUPINGS = ['indicator', 'standard', 'country', 'edition', 'year'] as const;
export type BenchmarkGrouping = (typeof BENCHMARK_GROUPINGS)[number];

const blankAsAbsent = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export class BenchmarksQueryDto {
  @ApiPropertyOptional({ enum: BENCHMARK_GROUPINGS, default: 'country' })
  @IsOptional()
  @IsIn(BENCHMARK_GROUPINGS)
  by?: BenchmarkGrouping;

  @ApiPropertyOptional({ example: 'cps-2016' })
  @IsOptional()
  @Transform(blankAsAbsent)
  @Matches(/^[a-z0-9][a-z0-9._-]{0,79}$/, { message: 'must be an edition id' })
  editionId?: string;
}

export class BenchmarksPageQueryDto extends BenchmarksQueryDto {
  @ApiPropertyOptional({ enum: ['en', 'fr', 'es'] })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  lang?: string;
}

export class BenchmarkGroupDto {
  @ApiProperty({ description: 'The group: indicator code, standard, country, edition or year' }) key: string;
  @ApiProperty({ nullable: true, type: Number }) institutions: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Decided cases, or applicable ratings by indicator',
  })
  count: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Certified cases (or met ratings) / count' })
  passRate: number | null;
  @ApiProperty({ description: 'Fewer than 5 institutions: every figure withheld' }) suppressed: boolean;
}

export class StateTimeDto {
  @ApiProperty() state: string;
  @ApiProperty({ nullable: true, type: Number }) institutions: number | null;
  @ApiProperty({ nullable: true, type: Number }) cases: number | null;
  @ApiProperty({ nullable: true, type: Number }) averageDays: number | null;
  @ApiProperty() suppressed: boolean;
}

export class FindingCellDto {
  @ApiProperty() severity: string;
  @ApiProperty() indicatorCode: string;
  @ApiProperty({ nullable: true, type: Number }) institutions: number | null;
  @ApiProperty({ nullable: true, type: Number }) findings: number | null;
  @ApiProperty() suppressed: boolean;
}

export class BenchmarkFiguresDto {
  @ApiProperty({ type: [BenchmarkGroupDto] }) groups: BenchmarkGroupDto[];
  @ApiProperty({ type: [StateTimeDto] }) timeInState: StateTimeDto[];
  @ApiProperty({ type: [FindingCellDto] }) findings: FindingCellDto[];
}

export class BenchmarksDto {
  @ApiProperty({ enum: BENCHMARK_GROUPINGS }) by: BenchmarkGrouping;
  @ApiProperty({ nullable: true, type: String }) editionId: string | null;
  @ApiProperty({ example: 5 }) threshold: number;
  @ApiProperty({
    description:
      "The anonymised figures are those of the summary rebuilt at this time (every 10 minutes; see the README, The field). An institution's own figures are live.",
    example: '2026-11-30T12:00:00.000Z',
  })
  asOf: string;
  @ApiProperty({ enum: ['field', 'certifier', 'institution'] }) scope: 'field' | 'certifier' | 'institution';
  @ApiProperty({ type: BenchmarkFiguresDto, description: 'Secretariat: the field; certifier: its own cases' })
  figures: BenchmarkFiguresDto;
  @ApiPropertyOptional({ type: BenchmarkFiguresDto, description: "Institution: its own cases' figures" })
  own?: BenchmarkFiguresDto;
  @ApiPropertyOptional({ type: BenchmarkFiguresDto, description: "Institution: its country's, anonymised" })
  country?: BenchmarkFiguresDto;
  @ApiPropertyOptional({
    type: BenchmarkFiguresDto,
    description: "Institution: its edition's, anonymised (`editionId`, else its latest case's edition)",
  })
  edition?: BenchmarkFiguresDto;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Institution: the edition compared' })
  comparedEditionId?: string | null;
}
