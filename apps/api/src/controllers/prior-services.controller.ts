import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  PriorServiceDto,
  PriorServicePageDto,
  PriorServiceRequestDto,
  PriorServicesService,
} from '@app/cases';
import { type Actor, PageQueryDto } from '@app/common';
import { Permission } from '@app/identity';
import { ApiBusinessErrors, ApiNotFound, ApiValidationErrors } from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { Idempotent } from '../http/idempotency.interceptor';
import { RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

@ApiTags('organizations')
@Controller('api/v1/organizations/:organizationId/prior-services')
export class PriorServicesController {
  constructor(private readonly priorServices: PriorServicesService) {}

  @Post()
  @RequirePermission(Permission.PriorServicesRecord)
  @Idempotent()
  @ApiOperation({ summary: 'Record a service given to an institution; it blocks assignment for 24 months' })
  @ApiCreatedResponse({ type: PriorServiceDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiBusinessErrors('ORGANIZATION_NOT_INSTITUTION', 'TEAM_MEMBER_INVALID')
  record(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
    @Body() body: PriorServiceRequestDto,
  ): Promise<PriorServiceDto> {
    return this.priorServices.record(actor, organizationId, body);
  }

  @Get()
  @RequirePermission(Permission.PriorServicesRead)
  @ApiOkResponse({ type: PriorServicePageDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiOperation({ summary: "An institution's prior services from certification bodies" })
  list(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
    @Query() query: PageQueryDto,
  ): Promise<PriorServicePageDto> {
    return this.priorServices.list(actor, organizationId, query);
  }
}
