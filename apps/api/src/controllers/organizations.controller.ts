import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Actor, PageQueryDto } from '@app/common';
import {
  CreateOrganizationRequestDto,
  CreateUserRequestDto,
  LicenseRequestDto,
  ListOrganizationsQueryDto,
  OrganizationDto,
  OrganizationPageDto,
  OrganizationsService,
  MfaService,
  PendingChangeDecisionRequestDto,
  Permission,
  PasswordResetIssuedDto,
  PasswordResetService,
  UpdateOrganizationRequestDto,
  UpdateUserRequestDto,
  UserDto,
  UserPageDto,
  UsersService,
} from '@app/identity';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { RequirePermission } from '../http/route-access.decorator';
import { Idempotent } from '../http/idempotency.interceptor';
import { UuidParamPipe } from '../http/validation';

@ApiTags('organizations')
@Controller('api/v1/organizations')
export class OrganizationsController {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly users: UsersService,
    private readonly passwordResets: PasswordResetService,
    private readonly mfa: MfaService,
  ) {}

  @Post()
  @RequirePermission(Permission.OrganizationsCreate)
  @Idempotent()
  @ApiCreatedResponse({ type: OrganizationDto })
  @ApiValidationErrors()
  @ApiBusinessErrors('ORGANIZATION_NOT_INSTITUTION', 'ORGANIZATION_NOT_CERTIFIER')
  @ApiOperation({ summary: 'Create an organization' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrganizationRequestDto): Promise<OrganizationDto> {
    return this.organizations.create(actor, body);
  }

  @Get()
  @RequirePermission(Permission.OrganizationsRead)
  @ApiOperation({
    summary: 'The secretariat sees every organization; others their own and the certification bodies',
  })
  @ApiOkResponse({ type: OrganizationPageDto })
  @ApiValidationErrors()
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListOrganizationsQueryDto,
  ): Promise<OrganizationPageDto> {
    return this.organizations.list(actor, query);
  }

  @Get(':organizationId')
  @RequirePermission(Permission.OrganizationsRead)
  @ApiOkResponse({ type: OrganizationDto })
  @ApiNotFound()
  @ApiOperation({ summary: 'One organization' })
  get(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
  ): Promise<OrganizationDto> {
    return this.organizations.get(actor, organizationId);
  }

  @Patch(':organizationId')
  @RequirePermission(Permission.OrganizationsUpdate)
  @ApiOkResponse({ type: OrganizationDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict()
  @ApiBusinessErrors('ORGANIZATION_NOT_INSTITUTION')
  @ApiOperation({ summary: "Update an organization's details" })
  update(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
    @Body() body: UpdateOrganizationRequestDto,
  ): Promise<OrganizationDto> {
    return this.organizations.update(actor, organizationId, body);
  }

  @Post(':organizationId/pending-change')
  @HttpCode(200)
  @RequirePermission(Permission.OrganizationChangesDecide)
  @ApiOperation({
    summary:
      'The secretariat approves or rejects the name or country change an institution holding a certificate requested',
  })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict()
  @ApiBusinessErrors('NO_PENDING_CHANGE')
  decidePendingChange(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
    @Body() body: PendingChangeDecisionRequestDto,
  ): Promise<OrganizationDto> {
    return this.organizations.decidePendingChange(actor, organizationId, body);
  }

  @Put(':organizationId/license')
  @RequirePermission(Permission.LicensesManage)
  @ApiOkResponse({ type: OrganizationDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiBusinessErrors('ORGANIZATION_NOT_CERTIFIER')
  @ApiOperation({ summary: "Set a certification body's license" })
  setLicense(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
    @Body() body: LicenseRequestDto,
  ): Promise<OrganizationDto> {
    return this.organizations.setLicense(actor, organizationId, body);
  }

  @Post(':organizationId/users')
  @RequirePermission(Permission.UsersCreate)
  @Idempotent()
  @ApiCreatedResponse({ type: UserDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('EMAIL_TAKEN')
  @ApiBusinessErrors('ROLE_NOT_ALLOWED_FOR_ORGANIZATION')
  @ApiOperation({ summary: 'Create a user in an organization' })
  createUser(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
    @Body() body: CreateUserRequestDto,
  ): Promise<UserDto> {
    return this.users.create(actor, organizationId, body);
  }

  @Get(':organizationId/users')
  @RequirePermission(Permission.UsersRead)
  @ApiOkResponse({ type: UserPageDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiOperation({ summary: 'The users of an organization' })
  listUsers(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
    @Query() query: PageQueryDto,
  ): Promise<UserPageDto> {
    return this.users.list(actor, organizationId, query);
  }

  @Patch(':organizationId/users/:userId')
  @RequirePermission(Permission.UsersManage)
  @ApiOperation({
    summary:
      'Rename, change the role of, deactivate or reactivate a user (the organization admin or the secretariat admin)',
    description: 'Deactivation ends every session of the user at once; a deactivated user cannot log in.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiBusinessErrors('ROLE_NOT_ALLOWED_FOR_ORGANIZATION', 'LAST_ACTIVE_ADMIN')
  updateUser(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
    @Param('userId', UuidParamPipe) userId: string,
    @Body() body: UpdateUserRequestDto,
  ): Promise<UserDto> {
    return this.users.update(actor, organizationId, userId, body);
  }

  @Post(':organizationId/users/:userId/password-reset')
  @RequirePermission(Permission.UsersManage)
  @ApiOperation({
    summary: 'Issue a one-time password reset token (e-mailed when SMTP is configured, shown once otherwise)',
  })
  @ApiCreatedResponse({ type: PasswordResetIssuedDto })
  @ApiNotFound()
  issuePasswordReset(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
    @Param('userId', UuidParamPipe) userId: string,
  ): Promise<PasswordResetIssuedDto> {
    return this.passwordResets.issue(actor, organizationId, userId);
  }

  @Post(':organizationId/users/:userId/mfa-reset')
  @RequirePermission(Permission.UsersManage)
  @HttpCode(204)
  @ApiOperation({
    summary: "Removes a user's second factor (lost device); every session of the user ends",
    description: 'A user whose role requires MFA sets it up again at the next login.',
  })
  @ApiNoContentResponse({ description: 'Reset' })
  @ApiNotFound()
  resetMfa(
    @CurrentActor() actor: Actor,
    @Param('organizationId', UuidParamPipe) organizationId: string,
    @Param('userId', UuidParamPipe) userId: string,
  ): Promise<void> {
    return this.mfa.reset(actor, organizationId, userId);
  }
}
