import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { applicabilityOf, RatingsService } from '@app/assessment';
import {
  CaseAccessService,
  CaseEditWindow,
  CaseRelation,
  type CaseSnapshot,
  caseProfileOf,
  STATUSES_SHOWN_TO_INSTITUTION,
} from '@app/cases';
import { type Actor, ForbiddenError, NotFoundError } from '@app/common';
import { drainUpload, EvidenceQueriesService, type UploadSource } from '@app/evidence';
import { StandardsService } from '@app/standards';
import { DataSource } from 'typeorm';
import type { WorkbookImportQueryDto, WorkbookImportResultDto } from '../dto/workbook.dto';
import {
  assertWorkbookOfCase,
  type CurrentIndicator,
  diffWorkbook,
  type RowDecision,
} from '../workbook-diff';
import { planImport } from '../import-plan';
import { WorkbookSupport } from '../workbook-support.service';
import type { WorkbookLanguage } from '../workbook-texts';
import { fingerprintOf, type WorkbookEvidence, type WorkbookModel } from '../xlsx/workbook-model';
import { readWorkbook } from '../xlsx/workbook-reader';
import { writeWorkbook } from '../xlsx/workbook-writer';
import { inspectWorkbookZip } from '../xlsx/zip-inspector';

export interface WorkbookFile {
  fileName: string;
  bytes: Buffer;
}

/** The mission team's offline rating workbook: export, and import through the same save as PUT /ratings. */
@Injectable()
export class RatingWorkbookService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly ratings: RatingsService,
    private readonly evidence: EvidenceQueriesService,
    private readonly standards: StandardsService,
    private readonly support: WorkbookSupport,
  ) {}

  async export(actor: Actor, caseId: string, language: WorkbookLanguage): Promise<WorkbookFile> {
    const snapshot = await this.authorize(actor, caseId);
    const { model } = await this.load(actor, snapshot, language);
    return { fileName: `rating-workbook-${caseId}.xlsx`, bytes: await writeWorkbook(model) };
  }

  async import(
    actor: Actor,
    caseId: string,
    source: UploadSource,
    query: WorkbookImportQueryDto,
  ): Promise<WorkbookImportResultDto> {
    let snapshot: CaseSnapshot;
    try {
      snapshot = await this.authorize(actor, caseId);
    } catch (error) {
      drainUpload(source);
      throw error;
    }
    const bytes = await this.support.readUpload(source);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await inspectWorkbookZip(bytes);
    const read = await readWorkbook(bytes, 'ratings');
    const { model, current } = await this.load(actor, snapshot, 'en');
    assertWorkbookOfCase(read, model);
    const decisions = diffWorkbook(read, model.lines, current, {
      kind: 'ratings',
      mode: query.mode,
      scale: model.scale,
      evidenceIds: new Set(model.evidence!.map((item) => item.id.toLowerCase())),
      maxNoteLength: 8000,
    });
    const { counts, result, toApply: items } = planImport(decisions, query, sha256, toRowDto);
    if (items === null || items.length === 0) return result(false);
    // The same path as PUT /ratings: its rules, the case lock, the edit window and the versions the
    // workbook was exported at; a row changed in between is STALE_VERSION and nothing is saved.
    await this.ratings.save(
      actor,
      caseId,
      {
        ratings: items.map((item) => ({
          indicatorCode: item.indicatorCode,
          rating: item.workbook!.rating!,
          ...(item.workbook!.note ? { justification: item.workbook!.note } : {}),
          evidenceIds: item.workbook!.evidenceIds,
          version: item.version,
        })),
      },
      { audit: { workbook: { sha256, mode: query.mode, counts } } },
    );
    return result(true);
  }

  /** Raters on the team and the certifier's admin, while ratings may change; the institution as GET /ratings. */
  private async authorize(actor: Actor, caseId: string): Promise<CaseSnapshot> {
    const snapshot = await this.access.findVisible(actor, caseId);
    if (CaseRelation.isInstitutionUser(actor, snapshot)) {
      if (!STATUSES_SHOWN_TO_INSTITUTION.includes(snapshot.status)) throw new NotFoundError('Ratings');
      throw new ForbiddenError(
        'Only the mission team and the certification body work on the rating workbook',
      );
    }
    if (!CaseRelation.isOnMissionTeam(actor, snapshot) && !CaseRelation.isCertifierAdmin(actor, snapshot)) {
      throw new ForbiddenError(
        'Only the mission team and the certification body work on the rating workbook',
      );
    }
    CaseEditWindow.assertOpen('ratings', snapshot.status);
    return snapshot;
  }

  private async current(actor: Actor, snapshot: CaseSnapshot): Promise<Map<string, CurrentIndicator>> {
    const [ratings, applicability] = await Promise.all([
      this.ratings.get(actor, snapshot.id),
      this.applicability(snapshot),
    ]);
    return new Map(
      ratings.ratings.map((rating) => [
        rating.indicatorCode,
        {
          code: rating.indicatorCode,
          applicable: applicability.get(rating.indicatorCode) ?? true,
          rating: rating.rating,
          note: rating.justification,
          evidenceIds: rating.evidenceIds,
          version: rating.version,
          stored: rating.version > 0,
        },
      ]),
    );
  }

  private async applicability(snapshot: CaseSnapshot): Promise<Map<string, boolean>> {
    // The case's profile (submitted, as the lead rater may have amended it), as PUT /ratings decides
    // applicability: not the organization's current one.
    const [edition, profile] = await Promise.all([
      this.standards.requireDocument(snapshot.editionId),
      caseProfileOf(this.dataSource.manager, snapshot.id),
    ]);
    return new Map(
      applicabilityOf(edition, profile).map((entry) => [entry.indicator.code, entry.applicable]),
    );
  }

  private async load(
    actor: Actor,
    snapshot: CaseSnapshot,
    language: WorkbookLanguage,
  ): Promise<{ model: WorkbookModel; current: Map<string, CurrentIndicator> }> {
    const [edition, current, evidence, cover] = await Promise.all([
      this.standards.requireDocument(snapshot.editionId),
      this.current(actor, snapshot),
      this.evidenceOf(actor, snapshot.id),
      this.coverOf(actor, snapshot),
    ]);
    const lines = this.support.linesOf(edition, language, (code) => {
      const now = current.get(code)!;
      return {
        applicable: now.applicable,
        rating: now.rating,
        note: now.note,
        evidenceIds: now.evidenceIds,
        version: now.version,
      };
    });
    const model: WorkbookModel = {
      kind: 'ratings',
      language,
      caseId: snapshot.id,
      editionId: snapshot.editionId,
      fingerprint: fingerprintOf('ratings', snapshot.id, snapshot.editionId, lines),
      cover,
      scale: this.support.scaleOf(edition, language),
      lines,
      evidence,
    };
    return { model, current };
  }

  private async coverOf(actor: Actor, snapshot: CaseSnapshot): Promise<WorkbookModel['cover']> {
    const edition = await this.standards.requireDocument(snapshot.editionId);
    return this.support.coverOf(actor, snapshot, edition, true);
  }

  /** Every piece of evidence of the case, through the evidence module's own listing. */
  private async evidenceOf(actor: Actor, caseId: string): Promise<WorkbookEvidence[]> {
    const items: WorkbookEvidence[] = [];
    for (let page = 1; ; page++) {
      const found = await this.evidence.list(actor, caseId, { page, pageSize: 100 });
      items.push(
        ...found.items.map((item) => ({
          id: item.id,
          title: item.title,
          fileName: item.fileName,
          indicatorCodes: item.indicatorCodes,
        })),
      );
      if (found.items.length === 0 || items.length >= found.total) return items;
    }
  }
}

export function toRowDto(decision: RowDecision): WorkbookImportResultDto['rows'][number] {
  return {
    indicatorCode: decision.indicatorCode,
    current: {
      rating: decision.current.rating,
      justification: decision.current.note,
      evidenceIds: decision.current.evidenceIds,
    },
    workbook: decision.workbook && {
      rating: decision.workbook.rating,
      justification: decision.workbook.note,
      evidenceIds: decision.workbook.evidenceIds,
    },
    outcome: decision.outcome,
    ...(decision.reason ? { reason: decision.reason } : {}),
    ...(decision.cell ? { cell: decision.cell } : {}),
  };
}
