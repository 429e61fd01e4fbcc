import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ITEM_CODE_PATTERN, MAX_ITEM_CODE_LENGTH } from '@app/standards';

export class SelfAssessmentAnswerRequestDto {
  @ApiProperty({ example: '2.1.3' })
  @MaxLength(MAX_ITEM_CODE_LENGTH)
  @Matches(ITEM_CODE_PATTERN, { message: 'must be an indicator code such as 2.1.3 or 4A.1.1' })
  indicatorCode: string;

  @ApiProperty({ example: 'met', description: "A value of the edition's rating scale" })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  rating: string;

  @ApiPropertyOptional({
    maxLength: 4000,
    description: 'Required for not applicable; cite the evidence (document, page)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(4000)
  comment?: string;
}

export class SelfAssessmentRequestDto {
  @ApiProperty({ type: () => SelfAssessmentAnswerRequestDto, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SelfAssessmentAnswerRequestDto)
  answers: SelfAssessmentAnswerRequestDto[];
}

export class SelfAssessmentIndicatorDto {
  @ApiProperty() indicatorCode: string;
  @ApiProperty() applicable: boolean;
  @ApiProperty({ nullable: true, type: String }) rating: string | null;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why the profile makes the indicator not applicable',
  })
  inapplicableReason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt: string | null;
}

export class SelfAssessmentDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() editionId: string;
  @ApiProperty() applicableCount: number;
  @ApiProperty() answeredCount: number;
  @ApiProperty({ description: 'Every applicable indicator is answered' }) isComplete: boolean;
  @ApiProperty({ type: () => SelfAssessmentIndicatorDto, isArray: true })
  answers: SelfAssessmentIndicatorDto[];
}
