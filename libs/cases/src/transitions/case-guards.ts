import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@app/common';
import { isLicenseValidOn, OrganizationEntity, UserEntity } from '@app/identity';
import { StandardsEditionEntity } from '@app/standards';
import type { CaseType } from '../case-status';
import { GuardFailedError } from '../cases.errors';
import { ImpartialityService } from '../impartiality.service';
import { payloadOf, type TransitionContext, type TransitionGuard } from './transition-context';
import type { BuiltInGuard } from './transition-table';

/**
 * An edition takes new initial certifications until its `openForNewCasesUntil` (and not once retired);
 * check-ins and renewals of its certificates stay possible.
 */
export function assertEditionOpenFor(
  edition: Pick<StandardsEditionEntity, 'id' | 'openForNewCasesUntil' | 'retiredOn'>,
  type: CaseType,
  today: string,
): void {
  if (type !== 'certification') return;
  const closedAfter = edition.openForNewCasesUntil;
  const isRetired = edition.retiredOn !== null && edition.retiredOn <= today;
  if ((closedAfter !== null && today > closedAfter) || isRetired) {
    throw new GuardFailedError(
      ErrorCode.EditionClosed,
      `The edition ${edition.id} no longer accepts new initial certifications${closedAfter ? ` (open until ${closedAfter})` : ''}`,
      [{ field: 'editionId', message: 'is closed to new initial certifications', editionId: edition.id }],
    );
  }
}

/** The guards of the transition table, each refusing with its own code. */
@Injectable()
export class CaseGuards {
  constructor(private readonly impartiality: ImpartialityService) {}

  get(guard: BuiltInGuard): TransitionGuard {
    switch (guard) {
      case 'institution_profile_complete':
        return (context) => this.institutionProfileComplete(context);
      case 'certifier_licensed_today':
        return (context) => this.certifierLicensedToday(context);
      case 'edition_open_for_case_type':
        return (context) => this.editionOpenForCaseType(context);
      case 'lead_rater_valid':
        return (context) => this.leadRaterValid(context);
      case 'no_blocking_prior_service':
        return (context) => this.noBlockingPriorService(context);
      case 'mission_set':
        return (context) => this.missionSet(context);
      case 'team_declared_without_conflict':
        return (context) => this.teamDeclaredWithoutConflict(context);
      case 'mission_team_declared_without_conflict':
        return (context) =>
          this.declaredWithoutConflict(
            context,
            [context.snapshot.team.leadRaterId, ...context.snapshot.team.raterIds].filter(
              (id): id is string => id !== null,
            ),
            'mission',
          );
      case 'committee_declared_without_conflict':
        return (context) =>
          this.declaredWithoutConflict(context, context.snapshot.team.committeeMemberIds, 'committee');
      case 'actor_declared_without_conflict':
        return (context) =>
          this.declaredWithoutConflict(context, context.actor.userId ? [context.actor.userId] : [], 'actor');
      case 'committee_assigned':
        return (context) => Promise.resolve(this.committeeAssigned(context));
      case 'decision_not_accepted':
        return (context) => Promise.resolve(this.decisionNotAccepted(context));
      case 'appeal_window_open':
        return (context) => Promise.resolve(this.appealWindowOpen(context));
      case 'appeal_window_over_or_waived':
        return (context) => Promise.resolve(this.appealWindowOverOrWaived(context));
      case 'escalation_window_over_or_waived':
        return (context) => Promise.resolve(this.escalationWindowOverOrWaived(context));
      case 'outcome_not_certified':
        return (context) => Promise.resolve(this.outcomeNotCertified(context));
      case 'appeal_escalable':
        return (context) => Promise.resolve(this.appealEscalable(context));
      case 'not_pre_assessment':
        return ({ caseRow }) =>
          caseRow.isPreAssessment
            ? Promise.reject(
                new GuardFailedError(
                  ErrorCode.PreAssessmentNotPublishable,
                  'A pre-assessment is confidential: it never publishes a certificate; close it instead',
                ),
              )
            : Promise.resolve();
      case 'initial_certification':
        return ({ caseRow }) =>
          caseRow.type === 'certification'
            ? Promise.resolve()
            : Promise.reject(
                new GuardFailedError(
                  ErrorCode.InvalidTransition,
                  `A ${caseRow.type} of a certificate cannot become a pre-assessment`,
                ),
              );
      case 'never_decided':
        return ({ caseRow }) =>
          caseRow.decidedAt === null
            ? Promise.resolve()
            : Promise.reject(
                new GuardFailedError(
                  ErrorCode.InvalidTransition,
                  'A decided case is not withdrawn, even reopened by its appeal: it ends by its decision',
                ),
              );
      case 'outcome_certified':
        return ({ caseRow }) =>
          caseRow.outcome === 'certified'
            ? Promise.resolve()
            : Promise.reject(
                new GuardFailedError(ErrorCode.CaseNotCertified, 'Only a certified decision is published'),
              );
    }
  }

  private decisionNotAccepted({ caseRow }: TransitionContext): void {
    if (caseRow.decisionAcceptedAt !== null) {
      throw new GuardFailedError(
        ErrorCode.DecisionAccepted,
        'The institution accepted the decision and waived its appeal',
      );
    }
  }

  private appealWindowOpen({ caseRow, today }: TransitionContext): void {
    if (caseRow.appealDueOn === null || today > caseRow.appealDueOn) {
      throw new GuardFailedError(
        ErrorCode.AppealWindowClosed,
        `The appeal window closed on ${caseRow.appealDueOn ?? 'the resolution of the appeal'}`,
      );
    }
  }

  private appealWindowOverOrWaived({ caseRow, today }: TransitionContext): void {
    if (caseRow.decisionAcceptedAt === null && caseRow.appealDueOn !== null && today <= caseRow.appealDueOn) {
      throw new GuardFailedError(
        ErrorCode.AppealWindowOpen,
        `The institution may appeal until ${caseRow.appealDueOn}`,
      );
    }
  }

  /**
   * After the body resolved an appeal, the institution may escalate the resolution until
   * `escalationDueOn`: the case is neither published nor closed before that day has passed, unless the
   * institution accepted the decision (which waives the escalation).
   */
  private escalationWindowOverOrWaived({ caseRow, today }: TransitionContext): void {
    if (
      caseRow.decisionAcceptedAt === null &&
      caseRow.escalationDueOn !== null &&
      today <= caseRow.escalationDueOn
    ) {
      throw new GuardFailedError(
        ErrorCode.EscalationWindowOpen,
        `The institution may escalate the resolution of its appeal until ${caseRow.escalationDueOn}`,
        [{ message: 'the escalation window is open', escalationDueOn: caseRow.escalationDueOn }],
      );
    }
  }

  /**
   * The institution escalates an appeal the body resolved, within 10 working days of the resolution, or
   * one the body left unanswered past its 14-day answer date.
   */
  private appealEscalable({ caseRow, today }: TransitionContext): void {
    if (caseRow.status === 'under_appeal') {
      if (caseRow.appealResponseDueOn !== null && today > caseRow.appealResponseDueOn) return;
      throw new GuardFailedError(
        ErrorCode.AppealNotResolved,
        `The certification body may answer the appeal until ${caseRow.appealResponseDueOn ?? '—'}; escalate after its answer or once that day has passed`,
      );
    }
    if (caseRow.escalationDueOn === null) {
      throw new GuardFailedError(
        ErrorCode.AppealNotResolved,
        'Only the resolution of an appeal may be escalated, once',
      );
    }
    if (today > caseRow.escalationDueOn) {
      throw new GuardFailedError(
        ErrorCode.EscalationWindowClosed,
        `The resolution could be escalated until ${caseRow.escalationDueOn}`,
      );
    }
  }

  private outcomeNotCertified({ caseRow }: TransitionContext): void {
    // A pre-assessment ends by closing, whatever its outcome.
    if (caseRow.isPreAssessment) return;
    if (caseRow.outcome !== 'not_certified') {
      throw new GuardFailedError(
        ErrorCode.CaseCertified,
        'A certified case ends by publication of its certificate, not by closing',
      );
    }
  }

  private committeeAssigned({ snapshot }: TransitionContext): void {
    if (snapshot.team.committeeMemberIds.length === 0) {
      throw new GuardFailedError(
        ErrorCode.CommitteeNotAssigned,
        'An independent committee member must be assigned before the case is referred',
      );
    }
  }

  private async institutionProfileComplete({ manager, caseRow }: TransitionContext): Promise<void> {
    const institution = await manager
      .getRepository(OrganizationEntity)
      .findOneBy({ id: caseRow.institutionId });
    // An empty object is no profile either (one could be stored before null was refused on update).
    if (!institution?.profile || Object.keys(institution.profile).length === 0) {
      throw new GuardFailedError(
        ErrorCode.InstitutionProfileMissing,
        'The institution profile must be filled before applying: it decides which indicators apply',
      );
    }
  }

  private async editionOpenForCaseType({ manager, caseRow, today }: TransitionContext): Promise<void> {
    const edition = await manager
      .getRepository(StandardsEditionEntity)
      .findOneByOrFail({ id: caseRow.editionId });
    assertEditionOpenFor(edition, caseRow.type, today);
  }

  private async certifierLicensedToday({ manager, caseRow, today }: TransitionContext): Promise<void> {
    const certifier = await manager.getRepository(OrganizationEntity).findOneBy({ id: caseRow.certifierId });
    if (!certifier || !isLicenseValidOn(certifier, today)) {
      throw new GuardFailedError(
        ErrorCode.CertifierNotLicensed,
        'The certification body holds no license valid today',
        [
          {
            field: 'certifierId',
            message: `license ${certifier?.licenseValidFrom ?? '—'} to ${certifier?.licenseValidUntil ?? '—'}`,
          },
        ],
      );
    }
  }

  private async leadRaterValid(context: TransitionContext): Promise<void> {
    const leadRaterId = payloadOf(context, 'accept')?.leadRaterId ?? '';
    const user = await context.manager.getRepository(UserEntity).findOneBy({ id: leadRaterId });
    if (
      !user ||
      !user.isActive ||
      user.organizationId !== context.caseRow.certifierId ||
      user.role !== 'rater'
    ) {
      throw new GuardFailedError(
        ErrorCode.TeamMemberInvalid,
        'The lead rater must be an active rater of the certification body',
        [{ field: 'data.leadRaterId', message: 'is not an active rater of this certification body' }],
      );
    }
  }

  private async noBlockingPriorService(context: TransitionContext): Promise<void> {
    const { team } = context.snapshot;
    const accepted = payloadOf(context, 'accept');
    const userIds = accepted
      ? [accepted.leadRaterId]
      : [team.leadRaterId, ...team.raterIds, ...team.committeeMemberIds].filter(
          (id): id is string => id !== null,
        );
    await this.impartiality.assertNoBlockingPriorService(
      context.manager,
      context.caseRow.institutionId,
      context.caseRow.certifierId,
      userIds,
      context.today,
    );
  }

  private missionSet({ caseRow }: TransitionContext): Promise<void> {
    if (!caseRow.mission) {
      return Promise.reject(
        new GuardFailedError(
          ErrorCode.MissionNotSet,
          'The mission dates must be set before the onsite visit starts',
        ),
      );
    }
    return Promise.resolve();
  }

  /**
   * Impartiality at the moment of judgement: each of `userIds` has a latest declaration on the case and
   * it declares no conflict (a committee member added late, or one who declared a conflict since, may not
   * receive, decide, return or resolve the case).
   */
  private async declaredWithoutConflict(
    { manager, snapshot }: TransitionContext,
    userIds: string[],
    who: 'committee' | 'mission' | 'actor',
  ): Promise<void> {
    const declarations = await this.impartiality.latestDeclarations(manager, snapshot.id);
    const undeclared = userIds.filter((userId) => !declarations.has(userId));
    if (undeclared.length > 0) {
      throw new GuardFailedError(
        ErrorCode.TeamConflictUndeclared,
        who === 'actor'
          ? 'You must declare your conflicts of interest for this case before acting on it'
          : who === 'mission'
            ? 'Every member of the mission team, joined before or after the onsite visit began, must declare conflicts of interest before its findings go on'
            : 'Every committee member must declare conflicts of interest before the case is referred',
        undeclared.map((userId) => ({ field: 'team', message: 'has not declared', userId })),
      );
    }
    await this.impartiality.assertNoDeclaredConflict(manager, snapshot.id, userIds);
  }

  private async teamDeclaredWithoutConflict({ manager, snapshot }: TransitionContext): Promise<void> {
    const members = [
      snapshot.team.leadRaterId,
      ...snapshot.team.raterIds,
      ...snapshot.team.committeeMemberIds,
    ].filter((id): id is string => id !== null);
    const declarations = await this.impartiality.latestDeclarations(manager, snapshot.id);
    const undeclared = members.filter((userId) => !declarations.has(userId));
    if (undeclared.length > 0) {
      throw new GuardFailedError(
        ErrorCode.TeamConflictUndeclared,
        'Every team member must declare conflicts of interest before the onsite visit',
        undeclared.map((userId) => ({ field: 'team', message: 'has not declared', userId })),
      );
    }
    await this.impartiality.assertNoDeclaredConflict(manager, snapshot.id, members);
  }
}
