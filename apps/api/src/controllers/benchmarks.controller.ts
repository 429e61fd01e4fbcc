import { Controller, Get, Header, Headers, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Actor, negotiateLanguage } from '@app/common';
import {
  BenchmarksDto,
  BenchmarksPageQueryDto,
  BenchmarksPageService,
  BenchmarksQueryDto,
  BenchmarksService,
} from '@app/field';
import { Permission } from '@app/identity';
import { ApiValidationErrors } from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { Public, RequirePermission } from '../http/route-access.decorator';

const ANONYMITY = 'Cells describing fewer than 5 institutions carry `suppressed: true` and no figures.';

@ApiTags('benchmarks')
@Controller()
export class BenchmarksController {
  constructor(
    private readonly benchmarks: BenchmarksService,
    private readonly pages: BenchmarksPageService,
  ) {}

  @Get('api/v1/benchmarks')
  @RequirePermission(Permission.BenchmarksRead)
  @ApiOperation({
    summary: 'Pass rates, time in each state and findings over decided cases',
    description: `Secretariat: the field; certifier admin: its own cases; institution admin: its own figures beside its country's and its editions'. ${ANONYMITY}`,
  })
  @ApiOkResponse({ type: BenchmarksDto })
  @ApiValidationErrors()
  read(@CurrentActor() actor: Actor, @Query() query: BenchmarksQueryDto): Promise<BenchmarksDto> {
    return this.benchmarks.read(actor, query);
  }

  @Get('api/v1/benchmarks.csv')
  @RequirePermission(Permission.BenchmarksRead)
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="benchmarks.csv"')
  @ApiOperation({ summary: 'The same benchmarks as CSV, one row per cell', description: ANONYMITY })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row', schema: { type: 'string' } })
  @ApiValidationErrors()
  readCsv(@CurrentActor() actor: Actor, @Query() query: BenchmarksQueryDto): Promise<string> {
    return this.benchmarks.readCsv(actor, query);
  }

  @Get('benchmarks')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  @Header('Vary', 'Accept-Language')
  @ApiOperation({ summary: 'The anonymised benchmarks as an HTML page with charts (en, fr, es)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page', schema: { type: 'string' } })
  @ApiValidationErrors()
  page(
    @Query() query: BenchmarksPageQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<string> {
    return this.pages.render(negotiateLanguage(query.lang, acceptLanguage));
  }
}
