import { Controller, Get, Header, Headers, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { negotiateLanguage } from '@app/common';
import { CommitmentsPageQueryDto, CommitmentsPagesService } from '@app/field';
import { ApiValidationErrors } from '../http/api-errors.decorator';
import { Public } from '../http/route-access.decorator';

@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsPagesController {
  constructor(private readonly pages: CommitmentsPagesService) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=60')
  @Header('Vary', 'Accept-Language')
  @ApiOperation({ summary: 'The commitments list as an HTML page in English, French or Spanish' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page', schema: { type: 'string' } })
  @ApiValidationErrors()
  list(
    @Query() query: CommitmentsPageQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<string> {
    const { lang, ...filters } = query;
    return this.pages.render(filters, negotiateLanguage(lang, acceptLanguage));
  }
}
