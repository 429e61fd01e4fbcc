import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@app/common';
import {
  AuthService,
  type LoginClient,
  LoginRequestDto,
  LogoutRequestDto,
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
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiValidationErrors()
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'Too many failed logins' })
  login(@Body() body: LoginRequestDto, @LoginClientInfo() client: LoginClient): Promise<TokenPairDto> {
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
}
