import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiConflictResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@app/common';
import {
  AccountService,
  ChangePasswordRequestDto,
  MeDto,
  MfaCodeRequestDto,
  MfaEnrolmentDto,
  MfaService,
  RecoveryCodesDto,
  Permission,
  SessionDto,
  SessionsService,
} from '@app/identity';
import { ApiNotFound, ApiValidationErrors } from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { Authenticated, RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

@ApiTags('identity')
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly accounts: AccountService,
    private readonly sessions: SessionsService,
    private readonly mfa: MfaService,
  ) {}

  @Get()
  @RequirePermission(Permission.AccountRead)
  @ApiOkResponse({ type: MeDto })
  @ApiOperation({ summary: "The signed-in user's account" })
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
  @ApiOperation({ summary: "Change the signed-in user's password" })
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

  @Post('mfa')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({ summary: 'Starts the set-up of a TOTP second factor: the secret, its URL and QR code' })
  @ApiOkResponse({ type: MfaEnrolmentDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'MFA_ALREADY_ENABLED' })
  startMfaEnrolment(@CurrentActor() actor: Actor): Promise<MfaEnrolmentDto> {
    return this.mfa.startEnrolment(actor);
  }

  @Post('mfa/verify')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirms the set-up with a code; answers ten one-time recovery codes, shown once',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiValidationErrors()
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_MFA_CODE' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'MFA_ALREADY_ENABLED' })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'MFA_NOT_ENABLED: no set-up started',
  })
  confirmMfaEnrolment(
    @CurrentActor() actor: Actor,
    @Body() body: MfaCodeRequestDto,
  ): Promise<RecoveryCodesDto> {
    return this.mfa.confirmEnrolment(actor, body.code);
  }

  @Delete('mfa')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Turns the second factor off; needs a current code' })
  @ApiNoContentResponse({ description: 'Turned off' })
  @ApiValidationErrors()
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_MFA_CODE' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'MFA_NOT_ENABLED' })
  disableMfa(@CurrentActor() actor: Actor, @Body() body: MfaCodeRequestDto): Promise<void> {
    return this.mfa.disable(actor, body.code);
  }
}
