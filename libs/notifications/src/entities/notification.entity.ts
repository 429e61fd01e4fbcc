import { UserEntity } from '@app/identity';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';

/**
 * Where the e-mail copy of a notification stands: `queued` once handed to the pg-boss job (whose id is
 * the notification's); `skipped` when e-mail is off or the user inactive.
 */
export const NOTIFICATION_EMAIL_STATUSES = ['pending', 'queued', 'sent', 'failed', 'skipped'] as const;
export type NotificationEmailStatus = (typeof NOTIFICATION_EMAIL_STATUSES)[number];

/**
 * An in-app message telling a user that a case waits for them. The row is also the e-mail outbox:
 * written in the transaction that causes it, e-mailed by the worker after commit.
 */
@Entity({ name: 'notification' })
@Index('notification_user_idx', ['userId', 'createdAt'])
@Index('notification_email_due_idx', ['emailNextAttemptAt'], { where: `"email_status" = 'pending'` })
@Check(
  'notification_email_status_check',
  `"email_status" IN ('pending', 'queued', 'sent', 'failed', 'skipped')`,
)
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'notification_user_fk' })
  user?: UserEntity;

  /** The hand-off, e.g. `case.submit`. */
  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;

  /** Set for notifications that must exist once only (reminders); several workers may try to write them. */
  @Index('notification_dedupe_key', { unique: true })
  @Column({ type: 'text', nullable: true })
  dedupeKey: string | null;

  @Column({ type: 'text', default: 'pending' })
  emailStatus: NotificationEmailStatus;

  /** Delivery attempts so far (pg-boss retries a failure with back-off). */
  @Column({ type: 'integer', default: 0 })
  emailAttempts: number;

  /** When the notification may be handed to the e-mail queue (now, unless deferred). */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  emailNextAttemptAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  emailedAt: Date | null;

  /** The last delivery error, if an attempt failed (kept after a later success, as a record). */
  @Column({ type: 'text', nullable: true })
  emailError: string | null;
}
