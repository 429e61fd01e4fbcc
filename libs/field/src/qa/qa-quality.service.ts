import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, ForbiddenError, isSecretariat, type Page, pageOffset } from '@app/common';
import { DataSource } from 'typeorm';
import type {
  QaCertifierQualityDto,
  QaQualityDto,
  QaSampleEntryDto,
  QaSampleQueryDto,
} from './dto/qa-review.dto';
import { QA_REASONS } from './qa-sampling.rule';

interface SampleRow {
  case_id: string;
  decided_at: Date;
  certifier_id: string;
  certifier_name: string;
  institution_name: string;
  reasons: string[];
  draw: string;
  sample_share: string;
  details: Record<string, unknown>;
  checked_at: Date;
  review_id: string | null;
}

interface QualityRow {
  certifier_id: string;
  certifier_name: string;
  decided_cases: number;
  checked_cases: number;
  selected_cases: number;
  reasons: Record<string, number> | null;
  reviews_by_status: Record<string, number> | null;
  findings_by_severity: Record<string, number> | null;
}

/**
 * The secretariat's side of QA: the sample (decisions the sampling job selected, with why) and the
 * quality view per certification body (decisions checked and selected, flagged patterns, reviews and
 * their findings by severity). A certification body's admin sees its own line of the quality view.
 */
@Injectable()
export class QaQualityService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async sample(actor: Actor, query: QaSampleQueryDto): Promise<Page<QaSampleEntryDto>> {
    if (!isSecretariat(actor)) throw new ForbiddenError();
    const unreviewedOnly = query.unreviewedOnly ?? true;
    const filter = `q.is_selected${
      unreviewedOnly
        ? ' AND NOT EXISTS (SELECT 1 FROM qa_review r WHERE r.case_id = q.case_id AND r.case_decided_at = q.decided_at)'
        : ''
    }`;
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<SampleRow[]>(
        `SELECT q.case_id, q.decided_at, q.certifier_id, certifier.name AS certifier_name,
                institution.name AS institution_name, q.reasons, q.draw, q.sample_share, q.details, q.checked_at,
                (SELECT r.id FROM qa_review r WHERE r.case_id = q.case_id
                  ORDER BY (r.status <> 'closed') DESC, r.created_at DESC LIMIT 1) AS review_id
           FROM qa_case_check q
           JOIN certification_case c ON c.id = q.case_id
           JOIN organization certifier ON certifier.id = q.certifier_id
           JOIN organization institution ON institution.id = c.institution_id
          WHERE ${filter}
          ORDER BY q.checked_at DESC, q.case_id LIMIT ${query.pageSize} OFFSET ${pageOffset(query)}`,
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM qa_case_check q WHERE ${filter}`,
      ),
    ]);
    return {
      items: rows.map((row) => ({
        caseId: row.case_id,
        decidedAt: row.decided_at.toISOString(),
        certifierId: row.certifier_id,
        certifierName: row.certifier_name,
        institutionName: row.institution_name,
        reasons: row.reasons,
        draw: Number(row.draw),
        sampleShare: Number(row.sample_share),
        details: row.details,
        checkedAt: row.checked_at.toISOString(),
        reviewId: row.review_id,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async quality(actor: Actor): Promise<QaQualityDto> {
    let only: string | null = null;
    if (!isSecretariat(actor)) {
      if (actor.role !== 'certifier_admin' || !actor.organizationId) throw new ForbiddenError();
      only = actor.organizationId;
    }
    const rows = await this.dataSource.query<QualityRow[]>(
      `SELECT o.id AS certifier_id, o.name AS certifier_name,
              (SELECT count(*)::int FROM certification_case c
                WHERE c.certifier_id = o.id AND c.decided_at IS NOT NULL AND c.outcome IS NOT NULL) AS decided_cases,
              (SELECT count(*)::int FROM qa_case_check q WHERE q.certifier_id = o.id) AS checked_cases,
              (SELECT count(*)::int FROM qa_case_check q WHERE q.certifier_id = o.id AND q.is_selected) AS selected_cases,
              (SELECT jsonb_object_agg(reason, n) FROM (
                 SELECT reason, count(*)::int AS n FROM qa_case_check q CROSS JOIN LATERAL unnest(q.reasons) AS reason
                  WHERE q.certifier_id = o.id GROUP BY reason) AS per_reason) AS reasons,
              (SELECT jsonb_object_agg(status, n) FROM (
                 SELECT r.status, count(*)::int AS n FROM qa_review r WHERE r.certifier_id = o.id
                  GROUP BY r.status) AS per_status) AS reviews_by_status,
              (SELECT jsonb_object_agg(severity, n) FROM (
                 SELECT f.severity, count(*)::int AS n FROM qa_review r JOIN qa_review_finding f ON f.review_id = r.id
                  WHERE r.certifier_id = o.id GROUP BY f.severity) AS per_severity) AS findings_by_severity
         FROM organization o
        WHERE o.kind = 'certifier' AND ($1::uuid IS NULL OR o.id = $1::uuid)
        ORDER BY o.name, o.id`,
      [only],
    );
    return { certifiers: rows.map((row) => this.toDto(row)) };
  }

  private toDto(row: QualityRow): QaCertifierQualityDto {
    const reviewsByStatus = row.reviews_by_status ?? {};
    const severities = row.findings_by_severity ?? {};
    return {
      certifierId: row.certifier_id,
      certifierName: row.certifier_name,
      decidedCases: row.decided_cases,
      checkedCases: row.checked_cases,
      selectedCases: row.selected_cases,
      reasons: Object.fromEntries(QA_REASONS.map((reason) => [reason, row.reasons?.[reason] ?? 0])),
      reviews: Object.values(reviewsByStatus).reduce((sum, count) => sum + count, 0),
      reviewsByStatus: {
        issued: reviewsByStatus.issued ?? 0,
        responded: reviewsByStatus.responded ?? 0,
        closed: reviewsByStatus.closed ?? 0,
      },
      findingsBySeverity: {
        major: severities.major ?? 0,
        minor: severities.minor ?? 0,
        observation: severities.observation ?? 0,
      },
    };
  }
}
