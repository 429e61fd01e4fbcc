import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CaseStatus, STATUSES_SHOWN_TO_INSTITUTION } from '@app/cases';
import { DataSource } from 'typeorm';
import type { ActionVerificationEntity } from '../entities/action-verification.entity';
import {
  type ActionStatus,
  type CorrectiveActionEntity,
  INSTITUTION_ACTION_STATUSES,
} from '../entities/corrective-action.entity';
import { type ActionStatusEvent, statusWithoutHiddenVerifications } from './action-status-history.util';

/** The audit events that set an action's status (see `statusWithoutHiddenVerifications`). */
const STATUS_EVENTS = [
  'action.created',
  'action.recommended',
  'action.updated',
  'action.verification_recorded',
];

/**
 * What the institution sees of its actions' verifications: a verification recorded in a case whose
 * findings are not issued yet (STATUSES_SHOWN_TO_INSTITUTION, the rule of the case history) stays with the
 * certification body, and so does the status it gave the action — the institution sees the action as it
 * was before it.
 */
@Injectable()
export class InstitutionActionView {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async of(
    actions: CorrectiveActionEntity[],
    verifications: ActionVerificationEntity[],
  ): Promise<{ actions: CorrectiveActionEntity[]; verifications: ActionVerificationEntity[] }> {
    if (verifications.length === 0) return { actions, verifications };
    const cases = await this.dataSource.query<{ id: string; status: CaseStatus }[]>(
      'SELECT id, status FROM certification_case WHERE id = ANY($1::uuid[])',
      [[...new Set(verifications.map((verification) => verification.caseId))]],
    );
    const hiddenCaseIds = new Set(
      cases.filter((row) => !STATUSES_SHOWN_TO_INSTITUTION.includes(row.status)).map((row) => row.id),
    );
    if (hiddenCaseIds.size === 0) return { actions, verifications };
    const shown = verifications.filter((verification) => !hiddenCaseIds.has(verification.caseId));
    const concerned = [
      ...new Set(
        verifications
          .filter((verification) => hiddenCaseIds.has(verification.caseId))
          .map((verification) => verification.actionId),
      ),
    ];
    // The status the institution saw is replayed from the action's audit trail without the hidden
    // verifications: the row only holds the latest status, which a hidden verification may have set.
    const events = await this.dataSource.query<(ActionStatusEvent & { entityId: string })[]>(
      `SELECT entity_id AS "entityId", action, case_id AS "caseId", data FROM audit_event
        WHERE entity_type = 'corrective_action' AND entity_id = ANY($1::text[]) AND action = ANY($2::text[])
        ORDER BY sequence`,
      [concerned, STATUS_EVENTS],
    );
    return {
      verifications: shown,
      actions: actions.map((action) => {
        if (!concerned.includes(action.id)) return action;
        const replayed = statusWithoutHiddenVerifications(
          events.filter((event) => event.entityId === action.id),
          hiddenCaseIds,
        );
        return { ...action, status: replayed ?? this.fallbackStatus(action, shown) };
      }),
    };
  }

  /** Without an audit trail: the institution's own status, or the latest verification it may see. */
  private fallbackStatus(action: CorrectiveActionEntity, shown: ActionVerificationEntity[]): ActionStatus {
    if ((INSTITUTION_ACTION_STATUSES as readonly string[]).includes(action.status)) return action.status;
    const latest = shown
      .filter((verification) => verification.actionId === action.id)
      .sort((a, b) => b.verifiedAt.getTime() - a.verifiedAt.getTime())[0];
    return latest?.result ?? 'open';
  }
}
