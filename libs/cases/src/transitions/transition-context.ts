import type { Actor } from '@app/common';
import type { EntityManager } from 'typeorm';
import type { CaseSnapshot } from '../case-access.service';
import type { CertificationCaseEntity } from '../entities/certification-case.entity';
import type { CaseAction } from './case-action';

/** What a guard or an effect sees: the caller, the case as read inside the transaction, the request. */
export interface TransitionContext {
  manager: EntityManager;
  actor: Actor;
  action: CaseAction;
  caseRow: CertificationCaseEntity;
  snapshot: CaseSnapshot;
  reason: string | null;
  data: Record<string, unknown>;
  today: string;
}

/** Throws a GuardFailedError (422 with its code) when the rule does not hold. */
export type TransitionGuard = (context: TransitionContext) => Promise<void>;
