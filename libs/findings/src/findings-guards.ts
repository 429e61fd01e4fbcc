import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ResultsService } from '@app/assessment';
import { GuardFailedError, type TransitionContext, TransitionGuardRegistry } from '@app/cases';
import { ErrorCode } from '@app/common';
import { FindingResponseEntity } from './entities/finding-response.entity';
import { FindingEntity } from './entities/finding.entity';

/** The rules findings bring to the case state machine. */
@Injectable()
export class FindingsGuards implements OnModuleInit {
  constructor(
    private readonly guards: TransitionGuardRegistry,
    private readonly results: ResultsService,
  ) {}

  onModuleInit(): void {
    this.guards.register('issue_findings', 'findings.every_gap_has_a_finding', (context) =>
      this.everyGapHasAFinding(context),
    );
    this.guards.register('refer_to_committee', 'findings.every_finding_answered_or_window_over', (context) =>
      this.everyFindingAnsweredOrWindowOver(context),
    );
  }

  /** Every applicable indicator that is not compliant is covered by a finding. */
  private async everyGapHasAFinding({ manager, snapshot }: TransitionContext): Promise<void> {
    const results = await this.results.compute(manager, snapshot);
    const findings = await manager.getRepository(FindingEntity).findBy({ caseId: snapshot.id });
    const covered = new Set(findings.flatMap((finding) => finding.indicatorCodes));
    const uncovered = results.gaps.filter((code) => !covered.has(code));
    if (uncovered.length > 0) {
      throw new GuardFailedError(
        ErrorCode.NonCompliantWithoutFinding,
        `Non-compliant indicators without a finding: ${uncovered.join(', ')}`,
        uncovered.map((code) => ({ field: 'findings', message: 'has no finding', indicatorCode: code })),
      );
    }
  }

  /** The institution answered every finding, or the response date has passed. */
  private async everyFindingAnsweredOrWindowOver({
    manager,
    snapshot,
    caseRow,
    today,
  }: TransitionContext): Promise<void> {
    if (caseRow.responseDueOn !== null && caseRow.responseDueOn < today) return;
    const findings = await manager.getRepository(FindingEntity).findBy({ caseId: snapshot.id });
    const unanswered: FindingEntity[] = [];
    for (const finding of findings) {
      const answered = await manager.getRepository(FindingResponseEntity).existsBy({ findingId: finding.id });
      if (!answered) unanswered.push(finding);
    }
    if (unanswered.length > 0) {
      throw new GuardFailedError(
        ErrorCode.FindingsUnanswered,
        `${unanswered.length} finding(s) are unanswered and the response date ${caseRow.responseDueOn ?? '—'} has not passed`,
        unanswered.map((finding) => ({
          field: 'findings',
          message: 'has no response',
          findingId: finding.id,
        })),
      );
    }
  }
}
