import { ACTION_STATUSES, type ActionStatus } from '../entities/corrective-action.entity';

/** An audit event of a corrective action that may set its status. */
export interface ActionStatusEvent {
  action: string;
  caseId: string | null;
  data: Record<string, unknown> | null;
}

const isActionStatus = (value: unknown): value is ActionStatus =>
  typeof value === 'string' && (ACTION_STATUSES as readonly string[]).includes(value);

/**
 * The status an action's audit events (oldest first) leave it in when the verifications recorded in
 * `hiddenCaseIds` are left out: created or recommended open, then each status the institution reported
 * and each verification's result. Null when no event sets a status.
 */
export function statusWithoutHiddenVerifications(
  events: readonly ActionStatusEvent[],
  hiddenCaseIds: ReadonlySet<string>,
): ActionStatus | null {
  let status: ActionStatus | null = null;
  for (const event of events) {
    switch (event.action) {
      case 'action.created':
      case 'action.recommended':
        status = 'open';
        break;
      case 'action.updated': {
        const reported = (event.data?.changes as Record<string, unknown> | undefined)?.status;
        if (isActionStatus(reported)) status = reported;
        break;
      }
      case 'action.verification_recorded': {
        if (event.caseId !== null && hiddenCaseIds.has(event.caseId)) break;
        const result = event.data?.result;
        if (isActionStatus(result)) status = result;
        break;
      }
      default:
        break;
    }
  }
  return status;
}
