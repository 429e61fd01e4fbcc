import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * One login: its id is the family id of its refresh tokens and the `sid` claim of its access tokens.
 * Once `revokedAt` is set, every access and refresh token of the session is refused.
 */
@Entity({ name: 'user_session' })
@Index('user_session_user_idx', ['userId'])
export class UserSessionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_session_user_fk' })
  user?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Set at login and at each refresh. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastUsedAt: Date;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'text', nullable: true })
  clientAddress: string | null;

  /** The `amr` of the session's access tokens, comma-separated: `pwd` or `pwd,otp`. */
  @Column({ type: 'text', default: 'pwd' })
  authenticationMethods: string;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  revokedReason: string | null;
}
