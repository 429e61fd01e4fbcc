import { Injectable } from '@nestjs/common';
import type { CaseAction } from './case-action';
import type { TransitionGuard } from './transition-context';

/**
 * Guards contributed by libs that build on the cases lib (a self-assessment lib, for example), so the
 * dependency keeps pointing from them to the cases lib.
 */
@Injectable()
export class TransitionGuardRegistry {
  private readonly guards = new Map<CaseAction, TransitionGuard[]>();

  register(action: CaseAction, guard: TransitionGuard): void {
    this.guards.set(action, [...(this.guards.get(action) ?? []), guard]);
  }

  guardsFor(action: CaseAction): readonly TransitionGuard[] {
    return this.guards.get(action) ?? [];
  }
}
