import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Actor } from '@app/common';
import {
  AuthService,
  type LoginClient,
  LoginRequestDto,
  LogoutRequestDto,
  MfaChallengeDto,
  MfaChallengeRequestDto,
  MfaChallengeService,
  MfaCompleteRequestDto,
  MfaEnrolmentDto,
  MfaTokenPairDto,
  PasswordResetRequestDto,
  PasswordResetService,
  RefreshRequestDto,
  TokenPairDto,
} from '@app/identity';
import { ApiValidationErrors } from '../http/api-errors.decorator';
import { CurrentActor, LoginClientInfo } from '../http/current-actor.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { Authenticated, Public } from '../http/route-access.decorator';
import { RateLimit } from '../http/rate-limit.guard';

@ApiTags('identity')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwordResets: PasswordResetService,
    private readonly mfa: MfaChallengeService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in: tokens, or a second-factor challenge when one is due (MFA_REQUIRED_ROLES or set up)',
  })
  @ApiExtraModels(TokenPairDto, MfaChallengeDto)
  @ApiOkResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(TokenPairDto) }, { $ref: getSchemaPath(MfaChallengeDto) }] },
  })
  @ApiValidationErrors()
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many failed logins' })
  login(
    @Body() body: LoginRequestDto,
    @LoginClientInfo() client: LoginClient,
  ): Promise<TokenPairDto | MfaChallengeDto> {
    return this.auth.login(body.email, body.password, client);
  }

  @Post('refresh')
  @RateLimit('refresh')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiValidationErrors()
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description: 'INVALID_REFRESH_TOKEN or REFRESH_TOKEN_REUSED',
  })
  @ApiOperation({ summary: 'Exchange a refresh token for a new access and refresh token' })
  refresh(@Body() body: RefreshRequestDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Logged out; every token of that session, access tokens included, is refused from now on',
  })
  @ApiValidationErrors()
  @ApiOperation({ summary: 'Sign out: revoke the session of the refresh token' })
  logout(@CurrentActor() actor: Actor, @Body() body: LogoutRequestDto): Promise<void> {
    return this.auth.logout(actor, body.refreshToken);
  }

  @Post('password-reset')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with a one-time reset token; every session of the user ends' })
  @ApiNoContentResponse({ description: 'Password set' })
  @ApiValidationErrors()
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_RESET_TOKEN' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'PASSWORD_TOO_WEAK' })
  resetPassword(@Body() body: PasswordResetRequestDto): Promise<void> {
    return this.passwordResets.reset(body.resetToken, body.newPassword);
  }

  @Post('mfa')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Second step of a login: the challenge with a TOTP code or a recovery code → tokens',
    description:
      'When the challenge required enrolment, the first right code completes it and the answer adds the ten recovery codes (shown once).',
  })
  @ApiOkResponse({ type: MfaTokenPairDto })
  @ApiValidationErrors()
  @ApiUnauthorizedResponse({
    type: ErrorResponseDto,
    description: 'INVALID_MFA_CHALLENGE or INVALID_MFA_CODE',
  })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many wrong codes' })
  completeMfa(
    @Body() body: MfaCompleteRequestDto,
    @LoginClientInfo() client: LoginClient,
  ): Promise<MfaTokenPairDto> {
    return this.mfa.complete(body.challengeToken, body, client);
  }

  @Post('mfa/enrol')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Enrolment during login (enrolmentRequired): a TOTP secret, its URL and QR code' })
  @ApiOkResponse({ type: MfaEnrolmentDto })
  @ApiValidationErrors()
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_MFA_CHALLENGE' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'MFA_ALREADY_ENABLED' })
  enrolMfa(@Body() body: MfaChallengeRequestDto): Promise<MfaEnrolmentDto> {
    return this.mfa.enrol(body.challengeToken);
  }
}
