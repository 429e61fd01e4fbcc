import { Injectable } from '@nestjs/common';
import type { CaseAction } from './case-action';
import type { TransitionContext, TransitionGuard } from './transition-context';

export type TransitionEffect = (context: TransitionContext) => Promise<Record<string, unknown>>;

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
}
