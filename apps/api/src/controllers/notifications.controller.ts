import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/common';
import { ListNotificationsQueryDto, NotificationPageDto, NotificationsService } from '@app/notifications';
import { ApiNotFound, ApiValidationErrors } from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { Authenticated } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

@ApiTags('identity')
@Controller('api/v1/me/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Your notifications, newest first, with the unread count' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiValidationErrors()
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListNotificationsQueryDto,
  ): Promise<NotificationPageDto> {
    return this.notifications.list(actor, query);
  }

  @Post(':notificationId/read')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Marked as read' })
  @ApiNotFound()
  @ApiOperation({ summary: 'Mark a notification as read' })
  markRead(
    @CurrentActor() actor: Actor,
    @Param('notificationId', UuidParamPipe) notificationId: string,
  ): Promise<void> {
    return this.notifications.markRead(actor, notificationId);
  }
}
