import { ApiPropertyOptional } from '@nestjs/swagger';
import { PAGE_LANGUAGES, type PageLanguage } from '@app/common';
import { IsIn, IsOptional } from 'class-validator';

export class DocumentLanguageQueryDto {
  @ApiPropertyOptional({ enum: PAGE_LANGUAGES, description: 'Otherwise from Accept-Language, else English' })
  @IsOptional()
  @IsIn(PAGE_LANGUAGES)
  lang?: PageLanguage;
}
