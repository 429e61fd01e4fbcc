import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditEventEntity } from '@app/audit';
import { type Actor, type Page, pageOffset, WorkingCalendar } from '@app/common';
import { CalendarConfig } from '@app/config';
import { OrganizationEntity, UserEntity } from '@app/identity';
import { StandardsEditionEntity } from '@app/standards';
import { DataSource, In } from 'typeorm';
import { CaseAccessService, teamOf } from '../case-access.service';
import { historyPartyOf, visibleHistoryEvent } from '../case-history.policy';
import { toCaseDto, toHistoryEventDto, type CaseView } from '../case.mapper';
import type { CaseDto, HistoryEventDto, ListCasesQueryDto } from '../dto/case.dto';
import { CaseTeamMemberEntity } from '../entities/case-team-member.entity';
import { CertificationCaseEntity } from '../entities/certification-case.entity';
import { ImpartialityService } from '../impartiality.service';

/** Reading cases as the caller may see them. */
@Injectable()
export class CaseQueriesService {
  private readonly calendar: WorkingCalendar;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly impartiality: ImpartialityService,
    calendarConfig: CalendarConfig,
  ) {
    this.calendar = new WorkingCalendar(calendarConfig.holidays);
  }

  async get(actor: Actor, caseId: string): Promise<CaseDto> {
    await this.access.findVisible(actor, caseId);
    const row = await this.dataSource.getRepository(CertificationCaseEntity).findOneByOrFail({ id: caseId });
    const [view] = await this.views([row]);
    return toCaseDto(actor, view, this.calendar);
  }

  async list(actor: Actor, query: ListCasesQueryDto): Promise<Page<CaseDto>> {
    const builder = this.dataSource
      .getRepository(CertificationCaseEntity)
      .createQueryBuilder('certification_case');
    this.access.restrictToVisible(builder, actor, 'certification_case');
    if (query.status) builder.andWhere('certification_case.status = :status', { status: query.status });
    if (query.type) builder.andWhere('certification_case.type = :type', { type: query.type });
    if (query.institutionId) {
      builder.andWhere('certification_case.institution_id = :institutionId', {
        institutionId: query.institutionId,
      });
    }
    if (query.certifierId) {
      builder.andWhere('certification_case.certifier_id = :certifierId', { certifierId: query.certifierId });
    }
    // The page and its exact total side by side, each read from the list indexes (see the migration
    // IndexCaseListOrder): count(*) rather than TypeORM's count(DISTINCT id), which sorts every id.
    const [rows, counted] = await Promise.all([
      builder
        .clone()
        .orderBy('certification_case.updated_at', 'DESC')
        .addOrderBy('certification_case.id', 'ASC')
        .offset(pageOffset(query))
        .limit(query.pageSize)
        .getMany(),
      builder.clone().select('count(*)', 'total').getRawOne<{ total: string }>(),
    ]);
    const total = Number(counted?.total ?? 0);
    const items = (await this.views(rows)).map((view) => toCaseDto(actor, view, this.calendar));
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /** The case's audit events, oldest first, each as far as the caller's party may see it (CASE_HISTORY_RULES). */
  async history(actor: Actor, caseId: string): Promise<HistoryEventDto[]> {
    const snapshot = await this.access.findVisible(actor, caseId);
    const party = historyPartyOf(actor, snapshot);
    const events = await this.dataSource
      .getRepository(AuditEventEntity)
      .find({ where: { caseId }, order: { sequence: 'ASC' } });
    return events
      .map((event) => visibleHistoryEvent(party, snapshot.status, toHistoryEventDto(event)))
      .filter((event): event is HistoryEventDto => event !== null);
  }

  /** What the mapper needs of each case, in a fixed number of statements whatever the number of cases. */
  private async views(rows: CertificationCaseEntity[]): Promise<CaseView[]> {
    if (rows.length === 0) return [];
    const manager = this.dataSource.manager;
    const caseIds = rows.map((row) => row.id);
    const unique = (values: string[]) => [...new Set(values)];
    const [members, organizations, editions, declarations] = await Promise.all([
      manager.getRepository(CaseTeamMemberEntity).findBy({ caseId: In(caseIds) }),
      manager
        .getRepository(OrganizationEntity)
        .findBy({ id: In(unique(rows.flatMap((row) => [row.institutionId, row.certifierId]))) }),
      manager.getRepository(StandardsEditionEntity).find({
        where: { id: In(unique(rows.map((row) => row.editionId))) },
        select: { id: true, title: true },
      }),
      this.impartiality.latestDeclarationsOf(manager, caseIds),
    ]);
    const userIds = unique(members.map((entry) => entry.userId));
    const users =
      userIds.length > 0
        ? await manager.getRepository(UserEntity).find({
            where: { id: In(userIds) },
            select: { id: true, name: true },
          })
        : [];
    const organizationsById = new Map(organizations.map((organization) => [organization.id, organization]));
    const editionTitles = new Map(editions.map((edition) => [edition.id, edition.title]));
    const userNames = new Map(users.map((user) => [user.id, user.name]));
    return rows.map((row) => {
      const caseMembers = members.filter((entry) => entry.caseId === row.id);
      const institution = organizationsById.get(row.institutionId);
      const certifier = organizationsById.get(row.certifierId);
      return {
        row,
        snapshot: {
          id: row.id,
          type: row.type,
          status: row.status,
          version: row.version,
          editionId: row.editionId,
          institutionId: row.institutionId,
          certifierId: row.certifierId,
          submittedAt: row.submittedAt,
          team: teamOf(caseMembers),
        },
        institution: {
          id: row.institutionId,
          name: institution?.name ?? '',
          country: institution?.country ?? '',
        },
        certifier: { id: row.certifierId, name: certifier?.name ?? '' },
        edition: { id: row.editionId, title: editionTitles.get(row.editionId) ?? row.editionId },
        userNames: new Map(
          caseMembers.flatMap((entry) => {
            const name = userNames.get(entry.userId);
            return name === undefined ? [] : [[entry.userId, name] as [string, string]];
          }),
        ),
        declarations: declarations.get(row.id) ?? new Map(),
        profile: row.submittedAt ? row.profile : (institution?.profile ?? null),
      };
    });
  }
}
