import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseType } from '../case-status';
import type { CaseAction } from './case-action';
import type { TransitionEffect, TransitionGuard } from './transition-context';
import { findRule, type TransitionHookName, TRANSITIONS, type TransitionRule } from './transition-table';

/** What a case is about, as opened or edited while a draft. */
export interface CaseChoice {
  institutionId: string;
  type: CaseType;
  editionId: string;
  certificateNumber: string | null;
}

/** A rule on what a case may be opened for (the certificate a check-in or renewal names, for example). */
export type CaseChoiceCheck = (manager: EntityManager, choice: CaseChoice, today: string) => Promise<void>;

type HookKind = 'guard' | 'effect';

/**
 * Guards and effects contributed by libs that build on the cases lib (a self-assessment lib, for
 * example), so the dependency keeps pointing from them to the cases lib. Each is registered under the
 * name its action's row of the transition table declares (`externalGuards`, `externalEffects`), and runs
 * in the order the row lists them. At startup the registry refuses a hook the table does not declare and
 * a declared hook that nobody registered, so the table is the full list of what runs on each action.
 */
@Injectable()
export class TransitionGuardRegistry implements OnApplicationBootstrap {
  private readonly guards = new Map<CaseAction, Map<TransitionHookName, TransitionGuard>>();
  private readonly effects = new Map<CaseAction, Map<TransitionHookName, TransitionEffect>>();
  private readonly choiceChecks: CaseChoiceCheck[] = [];

  register<A extends CaseAction>(action: A, name: TransitionHookName, guard: TransitionGuard<A>): void {
    this.add(this.guards, action, name, guard as TransitionGuard, 'guard');
  }

  /** Runs after the status moved, in the same transaction; what it returns joins the audit event's data. */
  registerEffect<A extends CaseAction>(
    action: A,
    name: TransitionHookName,
    effect: TransitionEffect<A>,
  ): void {
    this.add(this.effects, action, name, effect as TransitionEffect, 'effect');
  }

  /** The registered guards of `action`, in the order its table row declares them. */
  guardsFor(action: CaseAction): readonly TransitionGuard[] {
    return this.inDeclaredOrder(this.guards, action, findRule(action)?.externalGuards ?? []);
  }

  effectsFor(action: CaseAction): readonly TransitionEffect[] {
    return this.inDeclaredOrder(this.effects, action, findRule(action)?.externalEffects ?? []);
  }

  /** Runs when a case is opened and when its draft scope changes, in that transaction. */
  registerChoiceCheck(check: CaseChoiceCheck): void {
    this.choiceChecks.push(check);
  }

  choiceChecksFor(): readonly CaseChoiceCheck[] {
    return this.choiceChecks;
  }

  onApplicationBootstrap(): void {
    const problems = this.mismatchesWith(TRANSITIONS);
    if (problems.length > 0) {
      throw new Error(`The transition hooks do not match the transition table:\n- ${problems.join('\n- ')}`);
    }
  }

  /** Every hook registered but not declared by `table`, and every declared hook nobody registered. */
  mismatchesWith(
    table: readonly Pick<TransitionRule, 'action' | 'externalGuards' | 'externalEffects'>[],
  ): string[] {
    const problems: string[] = [];
    const compare = (kind: HookKind, registered: Map<CaseAction, Map<TransitionHookName, unknown>>) => {
      const declaredOf = (action: CaseAction): readonly TransitionHookName[] => {
        const row = table.find((rule) => rule.action === action);
        return (kind === 'guard' ? row?.externalGuards : row?.externalEffects) ?? [];
      };
      for (const [action, hooks] of registered) {
        for (const name of hooks.keys()) {
          if (!declaredOf(action).includes(name))
            problems.push(`${kind} ${name} on ${action} is not declared`);
        }
      }
      for (const row of table) {
        for (const name of declaredOf(row.action)) {
          if (!registered.get(row.action)?.has(name)) {
            problems.push(`${kind} ${name} on ${row.action} is declared but nobody registers it`);
          }
        }
      }
    };
    compare('guard', this.guards);
    compare('effect', this.effects);
    return problems;
  }

  private add<H>(
    hooks: Map<CaseAction, Map<TransitionHookName, H>>,
    action: CaseAction,
    name: TransitionHookName,
    hook: H,
    kind: HookKind,
  ): void {
    const ofAction = hooks.get(action) ?? new Map<TransitionHookName, H>();
    if (ofAction.has(name)) throw new Error(`The ${kind} ${name} on ${action} is registered twice`);
    ofAction.set(name, hook);
    hooks.set(action, ofAction);
  }

  private inDeclaredOrder<H>(
    hooks: Map<CaseAction, Map<TransitionHookName, H>>,
    action: CaseAction,
    declared: readonly TransitionHookName[],
  ): H[] {
    const ofAction = hooks.get(action);
    return declared.map((name) => ofAction?.get(name)).filter((hook): hook is H => hook !== undefined);
  }
}
