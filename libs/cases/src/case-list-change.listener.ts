import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ClearOnCommitSubscriber, DatabaseNotifications } from '@app/database';
import type { DataSource, EntitySubscriberInterface, InsertEvent, RemoveEvent, UpdateEvent } from 'typeorm';
import { CaseListTotals } from './case-list-totals';
import { CaseTeamMemberEntity } from './entities/case-team-member.entity';
import { CertificationCaseEntity } from './entities/certification-case.entity';

/** The channel the `certification_case` and `case_team_list` triggers notify on (migration 1798500000000). */
export const CASE_LIST_CHANGED_CHANNEL = 'case_list_changed';

/**
 * Clears the list totals when a write to cases or team rows through TypeORM commits (at once outside a
 * transaction), before the request that made it is answered: the writer's next list counts again. After
 * the commit, so that no count in between keeps what is about to change. Any update of a case clears
 * them (an entity event does not say which columns changed); writes by other processes or by raw SQL
 * arrive as notifications (CaseListChangeListener).
 */
export class CaseListTotalsInvalidator extends ClearOnCommitSubscriber implements EntitySubscriberInterface {
  constructor(totals: CaseListTotals) {
    super('caseListsChanged', () => totals.clear());
  }

  afterInsert(event: InsertEvent<unknown>): void {
    if (isListed(event.metadata.target)) this.changed(event.queryRunner);
  }

  afterUpdate(event: UpdateEvent<unknown>): void {
    if (isListed(event.metadata.target)) this.changed(event.queryRunner);
  }

  afterRemove(event: RemoveEvent<unknown>): void {
    if (isListed(event.metadata.target)) this.changed(event.queryRunner);
  }
}

function isListed(target: unknown): boolean {
  return target === CertificationCaseEntity || target === CaseTeamMemberEntity;
}

/**
 * Keeps this process's case list totals in step with every change to cases and teams: its own TypeORM
 * writes clear them at commit (CaseListTotalsInvalidator), and changes committed by any other process or
 * by raw SQL arrive as `case_list_changed` notifications on the process's listening connection. The
 * totals are dropped whenever that connection is lost or re-established, and CaseQueriesService keeps
 * none while it is down (`DatabaseNotifications.isInStep`).
 */
@Injectable()
export class CaseListChangeListener implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: DatabaseNotifications,
    private readonly totals: CaseListTotals,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(new CaseListTotalsInvalidator(this.totals));
    this.notifications.subscribe(CASE_LIST_CHANGED_CHANNEL, {
      onNotification: () => this.totals.clear(),
      onReset: () => this.totals.clear(),
    });
  }
}
