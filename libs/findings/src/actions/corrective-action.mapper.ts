import type { CorrectiveActionDto } from '../dto/corrective-action.dto';
import type { ActionVerificationEntity } from '../entities/action-verification.entity';
import type { CorrectiveActionEntity } from '../entities/corrective-action.entity';

/** An action as the API answers it; `viewCaseId` is the case it is listed in (null for the plan). */
export function toCorrectiveActionDto(
  action: CorrectiveActionEntity,
  verification: ActionVerificationEntity | null,
  viewCaseId: string | null,
): CorrectiveActionDto {
  return {
    id: action.id,
    caseId: action.caseId,
    findingId: action.findingId,
    kind: action.findingId === null ? 'recommendation' : 'finding',
    indicatorCodes: action.indicatorCodes,
    description: action.description,
    ownerName: action.ownerName,
    dueOn: action.dueOn,
    status: action.status,
    note: action.note,
    evidenceIds: action.evidenceIds,
    carriedIn: viewCaseId !== null && action.caseId !== viewCaseId,
    inImprovementPlan: action.carriedFromCaseId !== null,
    verification: verification
      ? {
          caseId: verification.caseId,
          result: verification.result,
          note: verification.note,
          verifiedBy: verification.verifiedBy,
          verifiedAt: verification.verifiedAt.toISOString(),
        }
      : null,
    version: action.version,
    createdAt: action.createdAt.toISOString(),
    updatedAt: action.updatedAt.toISOString(),
  };
}
