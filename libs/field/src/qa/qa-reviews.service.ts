import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  type Actor,
  DomainError,
  ErrorCode,
  ForbiddenError,
  isSecretariat,
  NotFoundError,
  type Page,
  pageOffset,
  StaleVersionError,
} from '@app/common';
import { isUniqueViolation, runUseCaseTransaction } from '@app/database';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  CreateQaReviewRequestDto,
  QaFindingDto,
  QaReviewCloseRequestDto,
  QaReviewDto,
  QaReviewResponseRequestDto,
  QaReviewsQueryDto,
  QaReviewStatus,
} from './dto/qa-review.dto';
import { MANUAL_REASON } from './qa-sampling.rule';

interface ReviewRow {
  id: string;
  case_id: string;
  case_decided_at: Date;
  certifier_id: string;
  certifier_name: string;
  institution_name: string;
  edition_id: string;
  status: QaReviewStatus;
  reasons: string[];
  summary: string;
  created_by_name: string;
  created_at: Date;
  response: string | null;
  responded_by_name: string | null;
  responded_at: Date | null;
  closing_note: string | null;
  closed_by_name: string | null;
  closed_at: Date | null;
  version: number;
}

const REVIEW_COLUMNS = `r.id, r.case_id, r.case_decided_at, r.certifier_id, certifier.name AS certifier_name,
  institution.name AS institution_name, c.edition_id, r.status, r.reasons, r.summary, r.created_by_name,
  r.created_at, r.response, r.responded_by_name, r.responded_at, r.closing_note, r.closed_by_name, r.closed_at,
  r.version`;
const REVIEW_FROM = `qa_review r
  JOIN certification_case c ON c.id = r.case_id
  JOIN organization certifier ON certifier.id = r.certifier_id
  JOIN organization institution ON institution.id = c.institution_id`;

export class CaseNotDecidedError extends DomainError {
  constructor() {
    super(ErrorCode.CaseNotDecided, 'A QA review is made on a decided case; this one has no decision yet', [
      { field: 'caseId', message: 'must be a decided case' },
    ]);
  }
}

/**
 * QA reviews: the secretariat reviews a decided case and addresses findings to its certification body,
 * which answers once; the secretariat closes the review. The secretariat sees every review, a
 * certification body's admin those of its own cases; institutions never see them (they concern how the
 * body worked, and an institution's recourse against a decision is the appeal). Every change audited.
 */
@Injectable()
export class QaReviewsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, query: QaReviewsQueryDto): Promise<Page<QaReviewDto>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (condition: string, value: unknown) => {
      params.push(value);
      where.push(condition.replace('?', `$${params.length}`));
    };
    const certifiers = this.visibleCertifiers(actor, query.certifierId);
    if (certifiers !== null) add('r.certifier_id = ANY(?::uuid[])', certifiers);
    if (query.status) add('r.status = ?', query.status);
    if (query.caseId) add('r.case_id = ?::uuid', query.caseId);
    const filter = where.length ? where.join(' AND ') : 'true';
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<ReviewRow[]>(
        `SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM} WHERE ${filter}
          ORDER BY r.created_at DESC, r.id LIMIT ${query.pageSize} OFFSET ${pageOffset(query)}`,
        params,
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM qa_review r WHERE ${filter}`,
        params,
      ),
    ]);
    const findings = await this.findingsOf(
      this.dataSource.manager,
      rows.map((row) => row.id),
    );
    return {
      items: rows.map((row) => this.toDto(row, findings.get(row.id) ?? [])),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async get(actor: Actor, reviewId: string): Promise<QaReviewDto> {
    return this.readVisible(this.dataSource.manager, actor, reviewId);
  }

  async create(actor: Actor, request: CreateQaReviewRequestDto): Promise<QaReviewDto> {
    if (!isSecretariat(actor)) throw new ForbiddenError();
    try {
      return await runUseCaseTransaction(this.dataSource, async (manager) => {
        const [found] = await manager.query<
          { id: string; certifier_id: string; decided_at: Date | null; outcome: string | null }[]
        >('SELECT id, certifier_id, decided_at, outcome FROM certification_case WHERE id = $1', [
          request.caseId,
        ]);
        if (!found) throw new NotFoundError('Case');
        if (!found.decided_at || !found.outcome) throw new CaseNotDecidedError();
        const [check] = await manager.query<{ reasons: string[]; is_selected: boolean }[]>(
          'SELECT reasons, is_selected FROM qa_case_check WHERE case_id = $1 AND decided_at = $2',
          [found.id, found.decided_at],
        );
        const reasons = check?.is_selected ? check.reasons : [MANUAL_REASON];
        const [{ id }] = await manager.query<{ id: string }[]>(
          `INSERT INTO qa_review (case_id, case_decided_at, certifier_id, status, reasons, summary, created_by,
                                  created_by_name)
           VALUES ($1, $2, $3, 'issued', $4, $5, $6, $7) RETURNING id`,
          [
            found.id,
            found.decided_at,
            found.certifier_id,
            reasons,
            request.summary,
            actor.userId,
            actor.name,
          ],
        );
        for (const [position, finding] of request.findings.entries()) {
          await manager.query(
            `INSERT INTO qa_review_finding (review_id, position, severity, indicator_code, description)
             VALUES ($1, $2, $3, $4, $5)`,
            [id, position, finding.severity, finding.indicatorCode ?? null, finding.description],
          );
        }
        await this.audit.record(manager, actor, {
          entityType: 'qa_review',
          entityId: id,
          action: 'qa_review.issued',
          toStatus: 'issued',
          data: {
            caseId: found.id,
            caseDecidedAt: found.decided_at.toISOString(),
            certifierId: found.certifier_id,
            reasons,
            summary: request.summary,
            findings: request.findings.map((finding) => ({
              severity: finding.severity,
              indicatorCode: finding.indicatorCode ?? null,
              description: finding.description,
            })),
          },
        });
        const issued = await this.readVisible(manager, actor, id);
        await this.notifyCertifierAdmins(manager, issued, 'qa_review.issued', {
          title: `Quality review of your decision on ${issued.institutionName}`,
          body: `The secretariat reviewed the decision with ${request.findings.length} finding(s): ${request.summary} Answer it once, in the QA review ${issued.id}.`,
        });
        return issued;
      });
    } catch (error) {
      // Two reviews opened at once: the index allows one open review per case.
      if (isUniqueViolation(error)) throw this.alreadyOpen();
      throw error;
    }
  }

  /** The certification body's answer to the review's findings (once, while issued). */
  async respond(actor: Actor, reviewId: string, request: QaReviewResponseRequestDto): Promise<QaReviewDto> {
    if (actor.role !== 'certifier_admin') throw new ForbiddenError();
    return this.change(actor, reviewId, request.version, 'issued', 'responded', {
      sql: 'response = $4, responded_by_name = $5, responded_at = now()',
      params: [request.response, actor.name],
      action: 'qa_review.responded',
      data: { response: request.response },
      // The secretariat member who issued the review hears the answer.
      notify: (manager, review) =>
        manager.query(
          `INSERT INTO notification (user_id, kind, case_id, title, body)
           SELECT u.id, 'qa_review.responded', $2, $3, $4
             FROM qa_review r JOIN user_account u ON u.id = r.created_by AND u.is_active
            WHERE r.id = $1`,
          [
            review.id,
            review.caseId,
            `${review.certifierName} answered the quality review on ${review.institutionName}`,
            `${request.response} (QA review ${review.id})`,
          ],
        ),
    });
  }

  /** The secretariat closes a review, answered or not, with a note. */
  async close(actor: Actor, reviewId: string, request: QaReviewCloseRequestDto): Promise<QaReviewDto> {
    if (!isSecretariat(actor)) throw new ForbiddenError();
    return this.change(actor, reviewId, request.version, ['issued', 'responded'], 'closed', {
      sql: 'closing_note = $4, closed_by_name = $5, closed_at = now()',
      params: [request.note, actor.name],
      action: 'qa_review.closed',
      data: { note: request.note },
      notify: (manager, review) =>
        this.notifyCertifierAdmins(manager, review, 'qa_review.closed', {
          title: `Quality review of your decision on ${review.institutionName} closed`,
          body: `${request.note} (QA review ${review.id})`,
        }),
    });
  }

  /**
   * Tells the active admins of the review's certification body, in the transaction of the change (the
   * e-mail outbox sends each notification once).
   */
  private async notifyCertifierAdmins(
    manager: EntityManager,
    review: QaReviewDto,
    kind: string,
    text: { title: string; body: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO notification (user_id, kind, case_id, title, body)
       SELECT u.id, $2, $3, $4, $5 FROM user_account u
        WHERE u.organization_id = $1 AND u.role = 'certifier_admin' AND u.is_active`,
      [review.certifierId, kind, review.caseId, text.title, text.body],
    );
  }

  private async change(
    actor: Actor,
    reviewId: string,
    version: number,
    from: QaReviewStatus | QaReviewStatus[],
    to: QaReviewStatus,
    update: {
      sql: string;
      params: unknown[];
      action: string;
      data: Record<string, unknown>;
      notify: (manager: EntityManager, review: QaReviewDto) => Promise<unknown>;
    },
  ): Promise<QaReviewDto> {
    const allowed = Array.isArray(from) ? from : [from];
    return runUseCaseTransaction(this.dataSource, async (manager) => {
      const current = await this.readVisible(manager, actor, reviewId);
      if (!allowed.includes(current.status)) {
        throw new DomainError(
          ErrorCode.InvalidTransition,
          `The QA review is ${current.status}; it can be ${to} only when ${allowed.join(' or ')}`,
          [{ field: 'status', message: `is ${current.status}`, status: current.status }],
        );
      }
      // Conditional on the version read and the status: a concurrent change makes this one stale.
      // TypeORM answers an UPDATE with [rows, affected count].
      const [, changed] = await manager.query<[unknown[], number]>(
        `UPDATE qa_review SET status = '${to}', version = version + 1, ${update.sql}
          WHERE id = $1 AND version = $2 AND status = ANY($3::text[])`,
        [reviewId, version, allowed, ...update.params],
      );
      if (changed === 0) throw new StaleVersionError('The QA review', version);
      await this.audit.record(manager, actor, {
        entityType: 'qa_review',
        entityId: reviewId,
        action: update.action,
        fromStatus: current.status,
        toStatus: to,
        data: { caseId: current.caseId, ...update.data },
      });
      const changedReview = await this.readVisible(manager, actor, reviewId);
      await update.notify(manager, changedReview);
      return changedReview;
    });
  }

  /** The certification bodies whose reviews the caller sees: all for the secretariat, its own for a body's admin. */
  private visibleCertifiers(actor: Actor, requested?: string): string[] | null {
    if (isSecretariat(actor)) return requested ? [requested] : null;
    if (actor.role === 'certifier_admin' && actor.organizationId) {
      return requested && requested !== actor.organizationId ? [] : [actor.organizationId];
    }
    throw new ForbiddenError();
  }

  private async readVisible(manager: EntityManager, actor: Actor, reviewId: string): Promise<QaReviewDto> {
    const visible = this.visibleCertifiers(actor);
    const [row] = await manager.query<ReviewRow[]>(
      `SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM}
        WHERE r.id = $1 AND ($2::uuid[] IS NULL OR r.certifier_id = ANY($2::uuid[]))`,
      [reviewId, visible],
    );
    if (!row) throw new NotFoundError('QA review');
    const findings = await this.findingsOf(manager, [row.id]);
    return this.toDto(row, findings.get(row.id) ?? []);
  }

  private async findingsOf(
    manager: EntityManager,
    reviewIds: string[],
  ): Promise<Map<string, QaFindingDto[]>> {
    const byReview = new Map<string, QaFindingDto[]>();
    if (reviewIds.length === 0) return byReview;
    const rows = await manager.query<
      {
        id: string;
        review_id: string;
        severity: QaFindingDto['severity'];
        indicator_code: string | null;
        description: string;
      }[]
    >(
      `SELECT id, review_id, severity, indicator_code, description FROM qa_review_finding
        WHERE review_id = ANY($1::uuid[]) ORDER BY review_id, position`,
      [reviewIds],
    );
    for (const row of rows) {
      const list = byReview.get(row.review_id) ?? [];
      list.push({
        id: row.id,
        severity: row.severity,
        indicatorCode: row.indicator_code,
        description: row.description,
      });
      byReview.set(row.review_id, list);
    }
    return byReview;
  }

  private toDto(row: ReviewRow, findings: QaFindingDto[]): QaReviewDto {
    const iso = (value: Date | null) => (value ? value.toISOString() : null);
    return {
      id: row.id,
      caseId: row.case_id,
      caseDecidedAt: row.case_decided_at.toISOString(),
      certifierId: row.certifier_id,
      certifierName: row.certifier_name,
      institutionName: row.institution_name,
      editionId: row.edition_id,
      status: row.status,
      reasons: row.reasons,
      summary: row.summary,
      findings,
      createdByName: row.created_by_name,
      createdAt: row.created_at.toISOString(),
      response: row.response,
      respondedByName: row.responded_by_name,
      respondedAt: iso(row.responded_at),
      closingNote: row.closing_note,
      closedByName: row.closed_by_name,
      closedAt: iso(row.closed_at),
      version: row.version,
    };
  }

  private alreadyOpen(): DomainError {
    return new DomainError(
      ErrorCode.AlreadyExists,
      'The case already has an open QA review; close it first',
      [{ field: 'caseId', message: 'has an open QA review' }],
    );
  }
}
