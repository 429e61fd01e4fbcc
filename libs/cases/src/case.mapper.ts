import type { Actor } from '@app/common';
import { dateOf, todayUtc, type WorkingCalendar } from '@app/common';
import type { CaseSnapshot } from './case-access.service';
import type { CaseDto, HistoryEventDto, TeamMemberDto } from './dto/case.dto';
import type { CertificationCaseEntity } from './entities/certification-case.entity';
import type { LatestDeclaration } from './impartiality.service';
import { availableActions } from './transitions/transition-table';
import type { AuditEventEntity } from '@app/audit';

/** Working days the certification body has to answer a submission. */
export const ACCEPTANCE_WORKING_DAYS = 10;

export interface CaseView {
  row: CertificationCaseEntity;
  snapshot: CaseSnapshot;
  institution: { id: string; name: string; country: string };
  certifier: { id: string; name: string };
  edition: { id: string; title: string };
  userNames: Map<string, string>;
  declarations: Map<string, LatestDeclaration>;
  /** The profile that decides applicability (the snapshot once submitted, else the live one). */
  profile: CertificationCaseEntity['profile'];
}

function member(view: CaseView, userId: string): TeamMemberDto {
  const declaration = view.declarations.get(userId);
  return {
    id: userId,
    name: view.userNames.get(userId) ?? 'unknown user',
    declaration: declaration
      ? { hasConflict: declaration.hasConflict, declaredAt: declaration.declaredAt.toISOString() }
      : null,
  };
}

export function toCaseDto(actor: Actor, view: CaseView, calendar: WorkingCalendar): CaseDto {
  const { row, snapshot } = view;
  return {
    id: row.id,
    version: row.version,
    type: row.type,
    status: row.status,
    institution: view.institution,
    certifier: view.certifier,
    edition: view.edition,
    team: {
      leadRater: snapshot.team.leadRaterId ? member(view, snapshot.team.leadRaterId) : null,
      raters: snapshot.team.raterIds.map((userId) => member(view, userId)),
      committeeMembers: snapshot.team.committeeMemberIds.map((userId) => member(view, userId)),
      committeeChairId: row.committeeChairId,
    },
    mission: row.mission ? { ...row.mission, branches: row.mission.branches ?? [] } : null,
    deadlines: {
      acceptanceDueOn:
        row.status === 'submitted' && row.submittedAt
          ? calendar.addWorkingDays(dateOf(row.submittedAt), ACCEPTANCE_WORKING_DAYS)
          : null,
      responseDueOn: row.responseDueOn,
      appealDueOn: row.status === 'decided' && row.decisionAcceptedAt === null ? row.appealDueOn : null,
      appealResponseDueOn: row.status === 'under_appeal' ? row.appealResponseDueOn : null,
      isAppealResponseOverdue:
        row.status === 'under_appeal' &&
        row.appealResponseDueOn !== null &&
        todayUtc() > row.appealResponseDueOn,
      escalationDueOn: row.status === 'decided' ? row.escalationDueOn : null,
      postponedUntil: row.status === 'submitted' ? row.postponedUntil : null,
    },
    outcome: row.outcome,
    level: row.level,
    isPreAssessment: row.isPreAssessment,
    reopenedIndicatorCodes: row.reopenedIndicatorCodes,
    certificateNumber: row.certificateNumber,
    issuedCertificateNumber: row.issuedCertificateNumber,
    profile: view.profile,
    availableActions: availableActions(actor, snapshot),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What a history event shows of an audit event. */
export type HistoryEventSource = Pick<
  AuditEventEntity,
  'id' | 'occurredAt' | 'actorId' | 'actorName' | 'action' | 'fromStatus' | 'toStatus' | 'reason' | 'data'
>;

export function toHistoryEventDto(event: HistoryEventSource): HistoryEventDto {
  return {
    id: event.id,
    at: event.occurredAt.toISOString(),
    actor: { id: event.actorId, name: event.actorName },
    action: event.action,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    reason: event.reason,
    data: event.data,
  };
}
