export { CheckInRemindersService } from './check-in-reminders.service';
export * from './dto/notification.dto';
export { EMAIL_RETRY_DELAY_SECONDS, MAX_EMAIL_ATTEMPTS } from './email/email-retry.util';
export {
  EMAIL_DEAD_LETTER_QUEUE,
  EMAIL_QUEUE,
  type EmailDeliveryOutcome,
  type EmailQueueCounts,
  NotificationEmailOutbox,
} from './email/notification-email-outbox.service';
export { NotificationEntity, type NotificationEmailStatus } from './entities/notification.entity';
export { NotificationsModule } from './notifications.module';
export { NotificationsService } from './notifications.service';
export {
  type WindowClosingNoticeCounts,
  WindowClosingNoticesService,
} from './window-closing-notices.service';
export { OverdueActionNoticesService } from './overdue-action-notices.service';
