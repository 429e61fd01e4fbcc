import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CasesModule } from '@app/cases';
import { NotificationEntity } from './entities/notification.entity';
import { CheckInRemindersService } from './check-in-reminders.service';
import { NotificationEmailOutbox } from './email/notification-email-outbox.service';
import { NotificationMailer } from './email/notification-mailer';
import { NotificationsService } from './notifications.service';
import { OverdueActionNoticesService } from './overdue-action-notices.service';
import { WindowClosingNoticesService } from './window-closing-notices.service';

@Module({
  imports: [TypeOrmModule.forFeature([NotificationEntity]), CasesModule],
  providers: [
    CheckInRemindersService,
    OverdueActionNoticesService,
    NotificationsService,
    WindowClosingNoticesService,
    NotificationMailer,
    NotificationEmailOutbox,
  ],
  exports: [
    CheckInRemindersService,
    OverdueActionNoticesService,
    NotificationsService,
    WindowClosingNoticesService,
    NotificationEmailOutbox,
  ],
})
export class NotificationsModule {}
