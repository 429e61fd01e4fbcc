import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
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
  ready(): Promise<ReadinessDto> {
    return this.health.assertReady();
  }
}
