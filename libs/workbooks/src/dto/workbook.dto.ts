import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import type { ImportMode } from '../workbook-diff';
import {
  IMPORT_OUTCOMES,
  type ImportOutcome,
  WORKBOOK_LANGUAGES,
  type WorkbookLanguage,
} from '../workbook-texts';

export class WorkbookExportQueryDto {
  @ApiPropertyOptional({ enum: WORKBOOK_LANGUAGES, default: 'en', description: 'Language of the labels' })
  @IsOptional()
  @IsIn(WORKBOOK_LANGUAGES)
  lang: WorkbookLanguage = 'en';
}

export class WorkbookImportQueryDto {
  @ApiPropertyOptional({
    enum: ['fill_blanks', 'override'],
    default: 'fill_blanks',
    description: 'fill_blanks keeps what is saved; override replaces it',
  })
  @IsOptional()
  @IsIn(['fill_blanks', 'override'])
  mode: ImportMode = 'fill_blanks';

  @ApiPropertyOptional({ type: Boolean, default: true, description: 'true (default): report, apply nothing' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun: boolean = true;
}

export class WorkbookCellDto {
  @ApiProperty({ example: 'Ratings' }) sheet: string;
  @ApiProperty({ example: 7 }) row: number;
  @ApiProperty({ example: 'F' }) column: string;
  @ApiProperty({ example: "'Ratings'!F7" }) ref: string;
}

export class WorkbookRowValuesDto {
  @ApiProperty({ type: String, nullable: true }) rating: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Rating workbook' })
  justification?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Self-assessment workbook' })
  comment?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'Rating workbook' }) evidenceIds?: string[];
}

export class WorkbookImportRowDto {
  @ApiProperty({ example: '2.1.3' }) indicatorCode: string;
  @ApiProperty({ type: () => WorkbookRowValuesDto }) current: WorkbookRowValuesDto;
  @ApiProperty({ type: () => WorkbookRowValuesDto, nullable: true }) workbook: WorkbookRowValuesDto | null;
  @ApiProperty({ enum: IMPORT_OUTCOMES }) outcome: ImportOutcome;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ type: () => WorkbookCellDto }) cell?: WorkbookCellDto;
}

export class WorkbookImportCountsDto {
  @ApiProperty() new: number;
  @ApiProperty() changed: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() skipped: number;
  @ApiProperty() conflict: number;
  @ApiProperty() invalid: number;
}

export class WorkbookImportResultDto {
  @ApiProperty({ description: 'Whether the new and changed rows were saved' }) applied: boolean;
  @ApiProperty({ enum: ['fill_blanks', 'override'] }) mode: ImportMode;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: "The workbook's SHA-256" }) sha256: string;
  @ApiProperty({ type: () => WorkbookImportCountsDto }) counts: WorkbookImportCountsDto;
  @ApiProperty({ type: () => [WorkbookImportRowDto] }) rows: WorkbookImportRowDto[];
}

export const WORKBOOK_UPLOAD_SCHEMA = {
  type: 'object',
  required: ['file'],
  properties: { file: { type: 'string', format: 'binary', description: 'The .xlsx workbook' } },
};
