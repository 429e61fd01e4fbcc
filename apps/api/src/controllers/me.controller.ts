import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '@app/common';
import { AccountService, ChangePasswordRequestDto, MeDto, Permission } from '@app/identity';
import { ApiValidationErrors } from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { RequirePermission } from '../http/route-access.decorator';

@ApiTags('identity')
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly accounts: AccountService) {}

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
    description: 'WRONG_CURRENT_PASSWORD or PASSWORD_REUSED',
  })
  changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordRequestDto): Promise<void> {
    return this.accounts.changePassword(actor, body.currentPassword, body.newPassword);
  }
}
