import { Injectable } from '@nestjs/common';
import { ErrorCode, ValidationError } from '@app/common';
import { isLicenseValidOn, OrganizationEntity, UserEntity } from '@app/identity';
import { GuardFailedError } from '../cases.errors';
import { ImpartialityService } from '../impartiality.service';
import type { TransitionContext, TransitionGuard } from './transition-context';
import type { BuiltInGuard } from './transition-table';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireUuidData(context: TransitionContext, field: string): string {
  const value = context.data[field];
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new ValidationError(`data.${field} must be a UUID`, [
      { field: `data.${field}`, message: 'must be a UUID' },
    ]);
  }
  return value.toLowerCase();
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
      case 'lead_rater_valid':
        return (context) => this.leadRaterValid(context);
      case 'no_blocking_prior_service':
        return (context) => this.noBlockingPriorService(context);
      case 'mission_set':
        return (context) => this.missionSet(context);
      case 'team_declared_without_conflict':
        return (context) => this.teamDeclaredWithoutConflict(context);
    }
  }

  private async institutionProfileComplete({ manager, caseRow }: TransitionContext): Promise<void> {
    const institution = await manager
      .getRepository(OrganizationEntity)
      .findOneBy({ id: caseRow.institutionId });
    if (!institution?.profile) {
      throw new GuardFailedError(
        ErrorCode.InstitutionProfileMissing,
        'The institution profile must be filled before applying: it decides which indicators apply',
      );
    }
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
    const leadRaterId = requireUuidData(context, 'leadRaterId');
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
    const userIds =
      context.action === 'accept'
        ? [requireUuidData(context, 'leadRaterId')]
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
