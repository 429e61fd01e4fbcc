import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DatabaseNotifications } from '@app/database';
import { DataSource } from 'typeorm';
import { ActorCache } from './actor-cache';
import { ActorCacheInvalidator } from './actor-cache.subscriber';

/** The channel the `user_account` and `user_session` triggers notify on (migration 1798300000000). */
export const ACTOR_CHANGED_CHANNEL = 'actor_changed';

/**
 * Keeps this process's actor cache in step with every change to users and sessions: its own TypeORM
 * writes clear it at commit (ActorCacheInvalidator), and changes committed by any other process or by
 * raw SQL arrive as notifications naming the user (`*`: everyone) on the process's listening connection.
 * The cache is dropped whole whenever that connection is lost or re-established, and AccountService
 * keeps nothing new while it is down.
 */
@Injectable()
export class ActorChangeListener implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: DatabaseNotifications,
    private readonly cache: ActorCache,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(new ActorCacheInvalidator(this.cache));
    this.notifications.subscribe(ACTOR_CHANGED_CHANNEL, {
      onNotification: (userId) => (userId === '*' ? this.cache.clear() : this.cache.forgetUser(userId)),
      onReset: () => this.cache.clear(),
    });
  }
}
