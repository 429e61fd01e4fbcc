import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/common';
import { DecisionDto, DecisionsService } from '@app/decisions';
import { Permission } from '@app/identity';
import { ApiNotFound } from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

@ApiTags('decisions')
@Controller('api/v1/cases/:caseId/decision')
export class DecisionsController {
  constructor(private readonly decisions: DecisionsService) {}

  @Get()
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({ summary: 'The decision in force with its sealed package hash, and the appeal if any' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiNotFound()
  get(@CurrentActor() actor: Actor, @Param('caseId', UuidParamPipe) caseId: string): Promise<DecisionDto> {
    return this.decisions.get(actor, caseId);
  }
}
