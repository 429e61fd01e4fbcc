import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  type Actor,
  addDays,
  ErrorCode,
  ForbiddenError,
  SYSTEM_ACTOR,
  StaleVersionError,
  todayUtc,
  ValidationError,
  WorkingCalendar,
} from '@app/common';
import { CalendarConfig } from '@app/config';
import { runUseCaseTransaction } from '@app/database';
import { DataSource, type EntityManager } from 'typeorm';
import { CaseAccessService, type CaseSnapshot } from '../case-access.service';
import { lockCaseRow } from '../case-edit-window';
import type { CaseDto } from '../dto/case.dto';
import { CaseQueriesService } from '../use-cases/case-queries.service';
import { GuardFailedError, InvalidTransitionError } from '../cases.errors';
import { CaseTeamMemberEntity } from '../entities/case-team-member.entity';
import { CertificationCaseEntity } from '../entities/certification-case.entity';
import type { CaseAction } from './case-action';
import { CaseGuards } from './case-guards';
import { payloadOf, type TransitionContext } from './transition-context';
import { TransitionGuardRegistry } from './transition-guard.registry';
import { type BuiltInEffect, findRule, targetStatus, type TransitionRule } from './transition-table';

/** Working days the institution has to answer findings unless the lead rater sets a date. */
export const RESPONSE_WORKING_DAYS = 20;
/** Working days the institution has to appeal a decision. */
export const APPEAL_WORKING_DAYS = 10;
/** Calendar days the certification body has to answer an appeal. */
export const APPEAL_RESPONSE_CALENDAR_DAYS = 14;
/** Working days the institution has to escalate the answer to its appeal. */
export const ESCALATION_WORKING_DAYS = 10;

export interface TransitionRequest {
  action: CaseAction;
  version: number;
  reason?: string;
  data?: Record<string, unknown>;
}

/**
 * The one place where a case's status changes. Each transition is one transaction: the guards, a
 * conditional update on id, status and version, the effects and the audit event.
 */
@Injectable()
export class TransitionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly guards: CaseGuards,
    private readonly registry: TransitionGuardRegistry,
    private readonly audit: AuditService,
    private readonly queries: CaseQueriesService,
    calendarConfig: CalendarConfig,
  ) {
    this.calendar = new WorkingCalendar(calendarConfig.holidays);
  }

  private readonly calendar: WorkingCalendar;

  async apply(actor: Actor, caseId: string, request: TransitionRequest): Promise<CaseDto> {
    const snapshot = await this.access.findVisible(actor, caseId);
    await this.run(actor, snapshot, request, true);
    return this.queries.get(actor, caseId);
  }

  /**
   * A transition the product takes by itself when its time has come (the worker): the same guards,
   * conditional update and audit event, with the system as actor.
   */
  async applyAsSystem(caseId: string, action: CaseAction, reason: string): Promise<void> {
    const snapshot = await this.access.load(caseId);
    if (!snapshot) throw new InvalidTransitionError(action, 'missing');
    await this.run(SYSTEM_ACTOR, snapshot, { action, version: snapshot.version, reason }, false);
  }

  private async run(
    actor: Actor,
    snapshot: CaseSnapshot,
    request: TransitionRequest,
    isActorChecked: boolean,
  ): Promise<void> {
    const caseId = snapshot.id;
    const rule = findRule(request.action);
    if (!rule) throw new InvalidTransitionError(request.action, snapshot.status);
    if (snapshot.version !== request.version) throw new StaleVersionError('Case', request.version);
    if (!rule.from.includes(snapshot.status))
      throw new InvalidTransitionError(request.action, snapshot.status);
    if (isActorChecked && !rule.mayAct(actor, snapshot))
      throw new ForbiddenError(`You may not ${request.action} this case`);
    const reason = request.reason?.trim() ? request.reason.trim() : null;
    if (rule.isReasonRequired && !reason) {
      throw new ValidationError(`A reason is required to ${request.action}`, [
        { field: 'reason', message: 'is required' },
      ]);
    }
    const today = todayUtc();
    // Parsed once, by the action's row: every guard and effect reads this typed payload.
    const payload = rule.payload.parse({ data: request.data ?? {}, today });

    await runUseCaseTransaction(this.dataSource, async (manager) => {
      // The case row locked before any guard reads: edits of the case (which share-lock it) and other
      // transitions wait, and a request that lost the race sees the winner's version (409), never a
      // guard's stale view of it.
      const locked = await lockCaseRow(manager, caseId, 'update');
      if (!locked) throw new InvalidTransitionError(request.action, 'missing');
      if (locked.version !== request.version) throw new StaleVersionError('Case', request.version);
      if (!rule.from.includes(locked.status)) throw new InvalidTransitionError(request.action, locked.status);
      const caseRow = await manager.getRepository(CertificationCaseEntity).findOneByOrFail({ id: caseId });
      const context: TransitionContext = {
        manager,
        actor,
        action: request.action,
        caseRow,
        snapshot: (await this.access.load(caseId, manager)) ?? snapshot,
        reason,
        payload,
        today,
      };
      for (const guard of rule.guards) await this.guards.get(guard)(context);
      for (const guard of this.registry.guardsFor(request.action)) await guard(context);
      const to = targetStatus(rule, payload);
      await this.moveStatus(manager, rule, to, caseId, request.version, snapshot.status);
      let effectData: Record<string, unknown> = {};
      for (const effect of rule.effects)
        effectData = { ...effectData, ...(await this.applyEffect(effect, context)) };
      for (const effect of this.registry.effectsFor(request.action))
        effectData = { ...effectData, ...(await effect(context)) };
      await this.audit.record(manager, actor, {
        entityType: 'case',
        entityId: caseId,
        caseId,
        action: `case.${request.action}`,
        fromStatus: snapshot.status,
        toStatus: to,
        reason,
        data: effectData,
      });
    });
  }

  private async moveStatus(
    manager: EntityManager,
    rule: TransitionRule,
    to: TransitionRule['to'],
    caseId: string,
    version: number,
    from: string,
  ): Promise<void> {
    const result = await manager
      .createQueryBuilder()
      .update(CertificationCaseEntity)
      .set({
        status: to,
        version: () => 'version + 1',
        statusChangedAt: () => 'now()',
        updatedAt: () => 'now()',
        ...(rule.action === 'submit' ? { submittedAt: () => 'now()' } : {}),
      })
      .where('id = :caseId AND version = :version AND status = :from', { caseId, version, from })
      .execute();
    if (result.affected === 1) return;
    const current = await manager.getRepository(CertificationCaseEntity).findOneByOrFail({ id: caseId });
    if (current.version !== version) throw new StaleVersionError('Case', version);
    throw new InvalidTransitionError(rule.action, current.status);
  }

  /** What the cases lib does besides moving the status; returns what the audit event records. */
  private async applyEffect(
    effect: BuiltInEffect,
    context: TransitionContext,
  ): Promise<Record<string, unknown>> {
    const cases = context.manager.getRepository(CertificationCaseEntity);
    const caseId = context.caseRow.id;
    switch (effect) {
      case 'assign_lead_rater': {
        const { leadRaterId } = payloadOf(context, 'accept')!;
        const team = context.manager.getRepository(CaseTeamMemberEntity);
        await team.delete({ caseId, teamRole: 'lead_rater' });
        await team.upsert({ caseId, userId: leadRaterId, teamRole: 'lead_rater' }, ['caseId', 'userId']);
        return { leadRaterId };
      }
      case 'open_committee_round':
        // Votes belong to one referral: a case returned to the team is voted on afresh.
        await cases.update({ id: caseId }, { committeeRound: () => 'committee_round + 1' });
        return {};
      case 'set_response_due_date': {
        const responseDueOn =
          payloadOf(context, 'issue_findings')?.responseDueOn ??
          this.calendar.addWorkingDays(context.today, RESPONSE_WORKING_DAYS);
        await cases.update({ id: caseId }, { responseDueOn });
        return { responseDueOn };
      }
      case 'record_decision_date_and_open_appeal_window': {
        // The outcome and level are the decisions lib's to write, once, when it seals the package.
        const appealDueOn = this.calendar.addWorkingDays(context.today, APPEAL_WORKING_DAYS);
        await cases.update(
          { id: caseId },
          { decidedAt: new Date(), appealDueOn, reopenedIndicatorCodes: null },
        );
        return { appealDueOn };
      }
      case 'record_acceptance_of_decision':
        await cases.update({ id: caseId }, { decisionAcceptedAt: new Date() });
        return { appealWaived: true };
      case 'set_appeal_response_due_date': {
        const appealResponseDueOn = addDays(context.today, APPEAL_RESPONSE_CALENDAR_DAYS);
        await cases.update({ id: caseId }, { appealResponseDueOn });
        return { appealResponseDueOn };
      }
      case 'end_appeal_window': {
        // The certification body's answer ends the appeal; the institution may escalate it to the
        // standard owner (unless indicators were reopened: a new decision follows, with its own window).
        const isReopening = (payloadOf(context, 'resolve_appeal')?.reopenIndicators ?? null) !== null;
        const escalationDueOn = isReopening
          ? null
          : this.calendar.addWorkingDays(context.today, ESCALATION_WORKING_DAYS);
        await cases.update({ id: caseId }, { appealDueOn: null, appealResponseDueOn: null, escalationDueOn });
        return escalationDueOn ? { escalationDueOn } : {};
      }
      case 'end_escalation_window':
        await cases.update({ id: caseId }, { escalationDueOn: null, appealResponseDueOn: null });
        return {};
      case 'reopen_indicators': {
        const resolution = payloadOf(context, 'resolve_appeal') ?? payloadOf(context, 'resolve_escalation');
        const codes = resolution?.reopenIndicators ?? null;
        if (!codes) return {};
        const rated = await context.manager.query<{ indicator_code: string }[]>(
          'SELECT indicator_code FROM indicator_rating WHERE case_id = $1 AND indicator_code = ANY($2)',
          [caseId, codes],
        );
        const unknown = codes.filter((code) => !rated.some((row) => row.indicator_code === code));
        if (unknown.length > 0) {
          throw new GuardFailedError(
            ErrorCode.UnknownIndicatorCodes,
            'Only indicators rated on this case can be reopened',
            unknown.map((code) => ({
              field: 'data.reopenIndicators',
              message: 'not rated on this case',
              code,
            })),
          );
        }
        // The earlier decision stays sealed in its package; the case awaits a new one.
        await cases.update(
          { id: caseId },
          {
            reopenedIndicatorCodes: codes,
            outcome: null,
            level: null,
            appealDueOn: null,
            escalationDueOn: null,
          },
        );
        return { reopenIndicators: codes };
      }
      case 'record_postponement': {
        const postponedUntil = payloadOf(context, 'postpone')?.until ?? null;
        await cases.update({ id: caseId }, { postponedUntil });
        return postponedUntil ? { until: postponedUntil } : {};
      }
      case 'mark_pre_assessment':
        await cases.update({ id: caseId }, { isPreAssessment: true });
        return { isPreAssessment: true };
    }
  }
}
