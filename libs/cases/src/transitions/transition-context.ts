import type { Actor } from '@app/common';
import type { EntityManager } from 'typeorm';
import type { CaseSnapshot } from '../case-access.service';
import type { CertificationCaseEntity } from '../entities/certification-case.entity';
import type { CaseAction } from './case-action';
import type { TransitionPayloads } from './transition-payloads';

/**
 * What a guard or an effect sees: the caller, the case as read inside the transaction, the request's
 * payload as its table row parsed it (once, before any guard runs).
 */
export interface TransitionContext<A extends CaseAction = CaseAction> {
  manager: EntityManager;
  actor: Actor;
  action: A;
  caseRow: CertificationCaseEntity;
  snapshot: CaseSnapshot;
  reason: string | null;
  payload: TransitionPayloads[A];
  today: string;
}

/** Throws a GuardFailedError (422 with its code) when the rule does not hold. */
export type TransitionGuard<A extends CaseAction = CaseAction> = (
  context: TransitionContext<A>,
) => Promise<void>;

/** Runs after the status moved, in the same transaction; what it returns joins the audit event's data. */
export type TransitionEffect<A extends CaseAction = CaseAction> = (
  context: TransitionContext<A>,
) => Promise<Record<string, unknown>>;

/** The payload of `action`, narrowed (for a hook registered on several actions). */
export function payloadOf<A extends CaseAction>(
  context: TransitionContext,
  action: A,
): TransitionPayloads[A] | null {
  return context.action === action ? (context.payload as TransitionPayloads[A]) : null;
}
