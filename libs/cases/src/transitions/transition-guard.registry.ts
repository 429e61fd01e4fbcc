import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseType } from '../case-status';
import type { CaseAction } from './case-action';
import type { TransitionContext, TransitionGuard } from './transition-context';

export type TransitionEffect = (context: TransitionContext) => Promise<Record<string, unknown>>;

/** What a case is about, as opened or edited while a draft. */
export interface CaseChoice {
  institutionId: string;
  type: CaseType;
  editionId: string;
  certificateNumber: string | null;
}

/** A rule on what a case may be opened for (the certificate a check-in or renewal names, for example). */
export type CaseChoiceCheck = (manager: EntityManager, choice: CaseChoice, today: string) => Promise<void>;

/**
 * Guards contributed by libs that build on the cases lib (a self-assessment lib, for example), so the
 * dependency keeps pointing from them to the cases lib.
 */
@Injectable()
export class TransitionGuardRegistry {
  private readonly guards = new Map<CaseAction, TransitionGuard[]>();
  private readonly effects = new Map<CaseAction, TransitionEffect[]>();

  register(action: CaseAction, guard: TransitionGuard): void {
    this.guards.set(action, [...(this.guards.get(action) ?? []), guard]);
  }

  guardsFor(action: CaseAction): readonly TransitionGuard[] {
    return this.guards.get(action) ?? [];
  }

  /** Runs after the status moved, in the same transaction; what it returns joins the audit event's data. */
  registerEffect(action: CaseAction, effect: TransitionEffect): void {
    this.effects.set(action, [...(this.effects.get(action) ?? []), effect]);
  }

  effectsFor(action: CaseAction): readonly TransitionEffect[] {
    return this.effects.get(action) ?? [];
  }

  private readonly choiceChecks: CaseChoiceCheck[] = [];

  /** Runs when a case is opened and when its draft scope changes, in that transaction. */
  registerChoiceCheck(check: CaseChoiceCheck): void {
    this.choiceChecks.push(check);
  }

  choiceChecksFor(): readonly CaseChoiceCheck[] {
    return this.choiceChecks;
  }
}
