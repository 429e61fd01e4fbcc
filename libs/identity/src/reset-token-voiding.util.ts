import type { EntityManager } from 'typeorm';
import { IsNull } from 'typeorm';
import { PasswordResetTokenEntity } from './entities/password-reset-token.entity';

/**
 * Marks a user's unused password reset tokens as spent, in the caller's transaction: a token must not
 * outlive the account state it was issued for (the user deactivated, or their password changed since).
 * Answers how many were voided, for the audit event of that change.
 */
export async function voidResetTokensOf(manager: EntityManager, userId: string): Promise<number> {
  const voided = await manager
    .getRepository(PasswordResetTokenEntity)
    .update({ userId, usedAt: IsNull() }, { usedAt: new Date() });
  return voided.affected ?? 0;
}

/**
 * Marks the unused tokens an admin issued as spent, in the caller's transaction: when the admin is
 * deactivated or loses the right to manage users, a token they issued (and may have kept, when it was
 * shown to them rather than e-mailed) must not let them set someone's password afterwards.
 */
export async function voidResetTokensIssuedBy(manager: EntityManager, issuerId: string): Promise<number> {
  const voided = await manager
    .getRepository(PasswordResetTokenEntity)
    .update({ issuedBy: issuerId, usedAt: IsNull() }, { usedAt: new Date() });
  return voided.affected ?? 0;
}
