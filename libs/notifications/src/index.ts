export { CheckInRemindersService } from './check-in-reminders.service';
export * from './dto/notification.dto';
export { NotificationEntity } from './entities/notification.entity';
export { NotificationsModule } from './notifications.module';
export { NotificationsService } from './notifications.service';
export {
  type WindowClosingNoticeCounts,
  WindowClosingNoticesService,
} from './window-closing-notices.service';
