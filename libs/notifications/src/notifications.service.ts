import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type CaseAction,
  CertificationCaseEntity,
  payloadOf,
  type TransitionContext,
  TransitionGuardRegistry,
} from '@app/cases';
import { type Actor, NotFoundError, type Role } from '@app/common';
import { OrganizationEntity, UserEntity } from '@app/identity';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';
import type { ListNotificationsQueryDto, NotificationDto, NotificationPageDto } from './dto/notification.dto';
import { NotificationEntity } from './entities/notification.entity';

interface HandOff {
  /** Who must act next. */
  recipients: (context: TransitionContext) => Promise<string[]>;
  title: (institution: string) => string;
  body: (context: TransitionContext) => string | Promise<string>;
}

/** In-app notifications: every hand-off of the case notifies the party who must act next. */
@Injectable()
export class NotificationsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: TransitionGuardRegistry,
  ) {}

  onModuleInit(): void {
    const institutionUsers = (context: TransitionContext) =>
      this.usersOf(context.manager, context.caseRow.institutionId, [
        'institution_admin',
        'institution_member',
      ]);
    const institutionAdmins = (context: TransitionContext) =>
      this.usersOf(context.manager, context.caseRow.institutionId, ['institution_admin']);
    const certifierAdmins = (context: TransitionContext) =>
      this.usersOf(context.manager, context.caseRow.certifierId, ['certifier_admin']);
    const handOffs: Partial<Record<CaseAction, HandOff>> = {
      submit: {
        recipients: certifierAdmins,
        title: (name) => `New application from ${name}`,
        body: () => 'Accept it with a lead rater, or decline it with a reason.',
      },
      decline: {
        recipients: institutionAdmins,
        title: (name) => `Application of ${name} declined`,
        body: (context) => `Reason: ${context.reason ?? ''}`,
      },
      accept: {
        recipients: (context) => Promise.resolve([payloadOf(context, 'accept')?.leadRaterId ?? '']),
        title: (name) => `You lead the certification of ${name}`,
        body: () => 'Assign the team, request evidence and plan the mission.',
      },
      issue_findings: {
        recipients: institutionUsers,
        title: (name) => `Findings issued for ${name}`,
        body: () => 'Answer each finding with corrective evidence before the response date.',
      },
      refer_to_committee: {
        recipients: (context) => Promise.resolve(context.snapshot.team.committeeMemberIds),
        title: (name) => `The case of ${name} awaits the committee`,
        body: () => 'Review the frozen ratings and decide.',
      },
      return_to_team: {
        recipients: (context) =>
          Promise.resolve(context.snapshot.team.leadRaterId ? [context.snapshot.team.leadRaterId] : []),
        title: (name) => `The committee returned the case of ${name}`,
        body: (context) => `Note: ${context.reason ?? ''}`,
      },
      decide: {
        recipients: async (context) => [
          ...(await institutionUsers(context)),
          ...((await this.outcomeOf(context)) === 'certified'
            ? await this.secretariatOfficers(context.manager)
            : []),
        ],
        title: (name) => `Decision on ${name}`,
        body: async (context) =>
          `Outcome: ${await this.outcomeOf(context)}. The institution may appeal within 10 working days or accept the decision.`,
      },
      appeal: {
        recipients: certifierAdmins,
        title: (name) => `${name} appealed the decision`,
        body: () => 'Assign a committee member who took no part in the decision to resolve the appeal.',
      },
      resolve_appeal: {
        // The appeal ends the window: the secretariat publishes or closes next.
        recipients: async (context) => [
          ...(await institutionUsers(context)),
          ...(await this.secretariatOfficers(context.manager)),
        ],
        title: (name) => `Appeal of ${name} resolved`,
        body: (context) =>
          `Result: ${payloadOf(context, 'resolve_appeal')?.result ?? ''}. The secretariat now publishes a certified decision or closes the case.`,
      },
      escalate_appeal: {
        recipients: (context) => this.usersWithRole(context.manager, 'secretariat_admin'),
        title: (name) => `${name} escalated its appeal`,
        body: (context) => `Grounds: ${context.reason ?? ''}. Record the secretariat's finding.`,
      },
      resolve_escalation: {
        recipients: async (context) => [
          ...(await institutionUsers(context)),
          ...(await certifierAdmins(context)),
        ],
        title: (name) => `Escalation of ${name} resolved`,
        body: (context) =>
          `Finding: ${payloadOf(context, 'resolve_escalation')?.result ?? ''}` +
          ((payloadOf(context, 'resolve_escalation')?.reopenIndicators ?? null)
            ? '. Indicators are reopened for a re-rating by the team.'
            : '.'),
      },
      postpone: {
        recipients: institutionAdmins,
        title: (name) => `Engagement of ${name} postponed`,
        body: (context) =>
          `The certification body postponed the engagement until ${payloadOf(context, 'postpone')?.until ?? ''}. Reason: ${context.reason ?? ''}`,
      },
      convert_to_pre_assessment: {
        recipients: institutionAdmins,
        title: (name) => `The case of ${name} continues as a pre-assessment`,
        body: (context) =>
          `It is confidential and will not lead to a published certificate. Reason: ${context.reason ?? ''}`,
      },
      accept_decision: {
        recipients: (context) => this.secretariatOfficers(context.manager),
        title: (name) => `${name} accepted the decision`,
        body: () => 'The appeal is waived: the decision can be published or closed.',
      },
      publish: {
        recipients: institutionUsers,
        title: (name) => `Certificate issued to ${name}`,
        body: () => 'The certificate is listed in the public registry.',
      },
    };
    for (const [action, handOff] of Object.entries(handOffs) as [CaseAction, HandOff][]) {
      this.registry.registerEffect(action, 'notifications.notify_handoff', async (context) => {
        await this.notify(context, action, handOff);
        return {};
      });
    }
  }

  async list(actor: Actor, query: ListNotificationsQueryDto): Promise<NotificationPageDto> {
    const repository = this.dataSource.getRepository(NotificationEntity);
    const where = { userId: actor.userId ?? '', ...(query.unreadOnly ? { readAt: IsNull() } : {}) };
    const [notifications, total] = await repository.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    const unread = await repository.countBy({ userId: actor.userId ?? '', readAt: IsNull() });
    return {
      items: notifications.map(toNotificationDto),
      total,
      unread,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async markRead(actor: Actor, notificationId: string): Promise<void> {
    const repository = this.dataSource.getRepository(NotificationEntity);
    const notification = await repository.findOneBy({ id: notificationId, userId: actor.userId ?? '' });
    if (!notification) throw new NotFoundError('Notification');
    if (!notification.readAt) await repository.update({ id: notificationId }, { readAt: new Date() });
  }

  /** The outcome the decision recorded (sealed by an earlier effect of the same transition). */
  private async outcomeOf({ manager, caseRow }: TransitionContext): Promise<string> {
    const row = await manager
      .getRepository(CertificationCaseEntity)
      .findOne({ where: { id: caseRow.id }, select: { id: true, outcome: true } });
    return row?.outcome ?? '';
  }

  private async notify(context: TransitionContext, action: CaseAction, handOff: HandOff): Promise<void> {
    const recipients = [...new Set(await handOff.recipients(context))].filter(
      (userId) => userId !== context.actor.userId,
    );
    if (recipients.length === 0) return;
    const institution = await context.manager
      .getRepository(OrganizationEntity)
      .findOneBy({ id: context.caseRow.institutionId });
    const name = institution?.name ?? 'the institution';
    const body = await handOff.body(context);
    await context.manager.getRepository(NotificationEntity).insert(
      recipients.map((userId) => ({
        userId,
        kind: `case.${action}`,
        caseId: context.caseRow.id,
        title: handOff.title(name),
        body,
        readAt: null,
      })),
    );
  }

  private async usersOf(manager: EntityManager, organizationId: string, roles: Role[]): Promise<string[]> {
    const users = await manager
      .getRepository(UserEntity)
      .find({ where: { organizationId, role: In(roles), isActive: true }, select: { id: true } });
    return users.map((user) => user.id);
  }

  private secretariatOfficers(manager: EntityManager): Promise<string[]> {
    return this.usersWithRole(manager, 'secretariat_officer');
  }

  private async usersWithRole(manager: EntityManager, role: Role): Promise<string[]> {
    const users = await manager
      .getRepository(UserEntity)
      .find({ where: { role, isActive: true }, select: { id: true } });
    return users.map((user) => user.id);
  }
}

function toNotificationDto(notification: NotificationEntity): NotificationDto {
  return {
    id: notification.id,
    kind: notification.kind,
    caseId: notification.caseId,
    title: notification.title,
    body: notification.body,
    createdAt: notification.createdAt.toISOString(),
    readAt: notification.readAt?.toISOString() ?? null,
  };
}
