import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@app/common';
import {
  AccountService,
  ChangePasswordRequestDto,
  MeDto,
  Permission,
  SessionDto,
  SessionsService,
} from '@app/identity';
import { ApiNotFound, ApiValidationErrors } from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

@ApiTags('identity')
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly accounts: AccountService,
    private readonly sessions: SessionsService,
  ) {}

  @Get()
  @RequirePermission(Permission.AccountRead)
  @ApiOkResponse({ type: MeDto })
  getMe(@CurrentActor() actor: Actor): Promise<MeDto> {
    return this.accounts.getMe(actor);
  }

  @Post('password')
  @RequirePermission(Permission.AccountChangePassword)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed; every session of the user is ended' })
  @ApiValidationErrors()
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'WRONG_CURRENT_PASSWORD, PASSWORD_REUSED or PASSWORD_TOO_WEAK',
  })
  changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordRequestDto): Promise<void> {
    return this.accounts.changePassword(actor, body.currentPassword, body.newPassword);
  }

  @Get('sessions')
  @RequirePermission(Permission.AccountRead)
  @ApiOperation({ summary: "The caller's sessions (logins) that can still be refreshed" })
  @ApiOkResponse({ type: SessionDto, isArray: true })
  listSessions(@CurrentActor() actor: Actor): Promise<SessionDto[]> {
    return this.sessions.listMine(actor);
  }

  @Delete('sessions/:sessionId')
  @RequirePermission(Permission.AccountRead)
  @HttpCode(204)
  @ApiOperation({ summary: "Ends one of the caller's sessions; its access tokens answer 401 at once" })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiNotFound()
  revokeSession(
    @CurrentActor() actor: Actor,
    @Param('sessionId', UuidParamPipe) sessionId: string,
  ): Promise<void> {
    return this.sessions.revokeMine(actor, sessionId);
  }
}
