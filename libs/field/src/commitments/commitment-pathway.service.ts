import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { SYSTEM_ACTOR, todayUtc } from '@app/common';
import { DataSource, type EntityManager } from 'typeorm';
import { pathwayOf } from './commitment-pathway.rule';
import type { PathwayStatus } from './entities/commitment.entity';

interface FactsRow {
  id: string;
  version: number;
  name: string;
  organization_id: string | null;
  committed_on: string;
  pathway_status: PathwayStatus | null;
  reminders_started_on: string | null;
  last_assessment_on: string | null;
  last_certified_on: string | null;
  has_active_certificate: boolean;
}

export interface PathwayRunCounts {
  changed: number;
  reminders: number;
}

// A certificate belongs to a commitment by organization, or (recorded ones) by holder name and country.
const LINKED = `(certificate.institution_id = commitment.organization_id
  OR (certificate.holder_key = commitment.normalized_name AND certificate.holder_country = commitment.country))`;

/**
 * The worker job that keeps each committed institution's pathway status (see `pathwayOf`) and sends
 * its reminders: the late self-assessment, then a year of reminders before the entry turns inactive.
 * Each status change is audited; each reminder is sent once (a unique key per step and user).
 */
@Injectable()
export class CommitmentPathwayService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async run(today: string = todayUtc()): Promise<PathwayRunCounts> {
    const rows = await this.dataSource.query<FactsRow[]>(
      `SELECT commitment.id, commitment.version, commitment.name, commitment.organization_id,
              to_char(commitment.committed_on, 'YYYY-MM-DD') AS committed_on,
              commitment.pathway_status,
              to_char(commitment.reminders_started_on, 'YYYY-MM-DD') AS reminders_started_on,
              (SELECT to_char(max(c.submitted_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') FROM certification_case c
                WHERE c.institution_id = commitment.organization_id AND c.submitted_at IS NOT NULL) AS last_assessment_on,
              (SELECT to_char(max(certificate.issued_on), 'YYYY-MM-DD') FROM certificate WHERE ${LINKED}) AS last_certified_on,
              EXISTS (SELECT 1 FROM certificate WHERE ${LINKED}
                AND certificate.status = 'active' AND certificate.valid_until >= $1::date) AS has_active_certificate
         FROM commitment
        WHERE commitment.approval = 'approved' AND commitment.kind = 'institution'`,
      [today],
    );
    const counts: PathwayRunCounts = { changed: 0, reminders: 0 };
    for (const row of rows) {
      const state = pathwayOf(
        {
          committedOn: row.committed_on,
          lastAssessmentOn: row.last_assessment_on,
          lastCertifiedOn: row.last_certified_on,
          hasActiveCertificate: row.has_active_certificate,
          remindersStartedOn: row.reminders_started_on,
        },
        today,
      );
      await this.dataSource.transaction(async (manager) => {
        if (state.status !== row.pathway_status || state.remindersStartedOn !== row.reminders_started_on) {
          // Conditional on the version read: an approval or another worker in between wins.
          const updated = await manager.query<unknown[]>(
            `UPDATE commitment SET pathway_status = $3, reminders_started_on = $4, version = version + 1,
                    updated_at = now()
              WHERE id = $1 AND version = $2 RETURNING id`,
            [row.id, row.version, state.status, state.remindersStartedOn],
          );
          if (updated.length === 0) return;
          if (state.status !== row.pathway_status) {
            counts.changed += 1;
            await this.audit.record(manager, SYSTEM_ACTOR, {
              entityType: 'commitment',
              entityId: row.id,
              action: 'commitment.pathway_changed',
              fromStatus: row.pathway_status,
              toStatus: state.status,
              data: { inactiveAfter: state.inactiveAfter },
            });
          }
        }
        if (!row.organization_id) return;
        if (state.isAssessmentLate) {
          counts.reminders += await this.notify(
            manager,
            row,
            `commitment.assessment_late:${row.id}:${row.committed_on}`,
            `Self-assessment expected from ${row.name}`,
            'Six months have passed since the commitment: submit a self-assessment to move along the pathway.',
          );
        }
        if (state.reminderMonthsBefore !== null && state.inactiveAfter) {
          counts.reminders += await this.notify(
            manager,
            row,
            `commitment.inactive_reminder:${row.id}:${state.inactiveAfter}:${state.reminderMonthsBefore}`,
            `${row.name} turns inactive after ${state.inactiveAfter}`,
            'No self-assessment has followed the commitment in time: submit one to stay listed as active.',
          );
        }
      });
    }
    return counts;
  }

  private async notify(
    manager: EntityManager,
    row: FactsRow,
    key: string,
    title: string,
    body: string,
  ): Promise<number> {
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO notification (user_id, kind, case_id, title, body, dedupe_key)
       SELECT u.id, split_part($2, ':', 1), NULL, $3, $4, $2 || ':' || u.id
         FROM user_account u
        WHERE u.organization_id = $1 AND u.role = 'institution_admin' AND u.is_active
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [row.organization_id, key, title, body],
    );
    return inserted.length;
  }
}
