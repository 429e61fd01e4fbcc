import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ResultsService } from '@app/assessment';
import { AuditService } from '@app/audit';
import { CaseAccessService } from '@app/cases';
import { SYSTEM_ACTOR } from '@app/common';
import { QaConfig } from '@app/config';
import { StandardsService } from '@app/standards';
import { DataSource } from 'typeorm';
import { checkForQa, type QaCaseFacts } from './qa-sampling.rule';

/** Decided cases checked per run: a backlog (the first run on a full database) is worked off run by run. */
export const QA_SAMPLING_BATCH = 500;

export interface QaSamplingCounts {
  checked: number;
  selected: number;
}

interface DecidedRow {
  id: string;
  certifier_id: string;
  decided_at: Date;
  outcome: 'certified' | 'not_certified';
  level: string | null;
  dissent_count: number;
}

/**
 * The worker job `qa-sampling`: checks each decision once (a case decided again after an appeal is
 * checked again), records the check whether or not it selects the case (its draw, the share in force,
 * the patterns it found), and audits each selection. Idempotent: a check is keyed by case and decision
 * time, and a second process inserting the same one changes nothing.
 */
@Injectable()
export class QaSamplingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: CaseAccessService,
    private readonly results: ResultsService,
    private readonly standards: StandardsService,
    private readonly audit: AuditService,
    private readonly config: QaConfig,
  ) {}

  async run(share: number = this.config.sampleShare): Promise<QaSamplingCounts> {
    const decided = await this.dataSource.query<DecidedRow[]>(
      `SELECT c.id, c.certifier_id, c.decided_at, c.outcome, c.level,
              COALESCE((SELECT d.dissent_count FROM case_decision d WHERE d.case_id = c.id
                         ORDER BY d.decided_at DESC LIMIT 1), 0) AS dissent_count
         FROM certification_case c
        WHERE c.decided_at IS NOT NULL AND c.outcome IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM qa_case_check q WHERE q.case_id = c.id AND q.decided_at = c.decided_at)
        ORDER BY c.decided_at, c.id
        LIMIT $1`,
      [QA_SAMPLING_BATCH],
    );
    const counts: QaSamplingCounts = { checked: 0, selected: 0 };
    for (const row of decided) {
      const check = checkForQa(await this.factsOf(row), share);
      const isSelected = check.reasons.length > 0;
      const wasInserted = await this.dataSource.transaction(async (manager) => {
        const inserted = await manager.query<{ case_id: string }[]>(
          `INSERT INTO qa_case_check (case_id, decided_at, certifier_id, draw, sample_share, reasons, details, is_selected)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (case_id, decided_at) DO NOTHING RETURNING case_id`,
          [
            row.id,
            row.decided_at,
            row.certifier_id,
            check.draw,
            share,
            check.reasons,
            check.details,
            isSelected,
          ],
        );
        if (inserted.length === 0) return false;
        if (isSelected) {
          // Not a case history event: QA is between the secretariat and the certification body.
          await this.audit.record(manager, SYSTEM_ACTOR, {
            entityType: 'qa_selection',
            entityId: row.id,
            action: 'qa.case_selected',
            data: {
              caseId: row.id,
              decidedAt: row.decided_at.toISOString(),
              reasons: check.reasons,
              draw: check.draw,
              share,
              ...check.details,
            },
          });
        }
        return true;
      });
      if (!wasInserted) continue;
      counts.checked += 1;
      if (isSelected) counts.selected += 1;
    }
    return counts;
  }

  private async factsOf(row: DecidedRow): Promise<QaCaseFacts> {
    const snapshot = await this.cases.load(row.id);
    if (!snapshot) throw new Error(`Case ${row.id} vanished while being checked for QA`);
    const manager = this.dataSource.manager;
    const [results, edition, ratings] = await Promise.all([
      this.results.compute(manager, snapshot),
      this.standards.requireDocument(snapshot.editionId, manager),
      manager.query<{ indicator_code: string; cites_evidence: boolean }[]>(
        `SELECT indicator_code, cardinality(evidence_ids) > 0 AS cites_evidence
           FROM indicator_rating WHERE case_id = $1`,
        [row.id],
      ),
    ]);
    const citing = new Set(ratings.filter((rating) => rating.cites_evidence).map((r) => r.indicator_code));
    const applicable = results.indicators.filter(
      (indicator) => indicator.applicable && indicator.rating !== null,
    );
    return {
      caseId: row.id,
      decidedAt: row.decided_at,
      outcome: row.outcome,
      level: row.level,
      applicableRatings: applicable.length,
      metRatings: applicable.filter((indicator) => indicator.rating === 'met').length,
      ratingsCitingEvidence: applicable.filter((indicator) => citing.has(indicator.code)).length,
      computed: { eligible: results.outcome.eligible, level: results.outcome.level ?? null },
      isTiered: edition.decisionRule.type === 'tiered',
      dissentCount: Number(row.dissent_count),
    };
  }
}
