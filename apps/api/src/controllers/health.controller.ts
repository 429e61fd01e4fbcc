import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../http/error-response.dto';
import { Public } from '../http/route-access.decorator';
import { HealthService, ReadinessDto } from '../operations/health.service';
import { RateLimit } from '../http/rate-limit.guard';

@ApiTags('health')
@Controller('health')
@RateLimit('none')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({
    description: 'The process runs',
    schema: {
      type: 'object',
      properties: { status: { type: 'string', enum: ['ok'] } },
      required: ['status'],
    },
  })
  @ApiOperation({ summary: 'Liveness probe: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'NOT_READY; details name the failing component',
  })
  @ApiOperation({ summary: 'Readiness probe: the database and the evidence storage answer' })
  ready(): Promise<ReadinessDto> {
    return this.health.assertReady();
  }
}
