import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SelfAssessmentService } from '@app/assessment';
import { CaseAccessService, CaseEditWindow, CaseRelation, type CaseSnapshot } from '@app/cases';
import { type Actor, ForbiddenError } from '@app/common';
import { drainUpload, type UploadSource } from '@app/evidence';
import { StandardsService } from '@app/standards';
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
import { fingerprintOf, type WorkbookModel } from '../xlsx/workbook-model';
import { readWorkbook } from '../xlsx/workbook-reader';
import { writeWorkbook } from '../xlsx/workbook-writer';
import { inspectWorkbookZip } from '../xlsx/zip-inspector';
import { type WorkbookFile } from './rating-workbook.service';

/** The institution's self-assessment workbook, imported through SelfAssessmentService.save. */
@Injectable()
export class SelfAssessmentWorkbookService {
  constructor(
    private readonly access: CaseAccessService,
    private readonly selfAssessments: SelfAssessmentService,
    private readonly standards: StandardsService,
    private readonly support: WorkbookSupport,
  ) {}

  async export(actor: Actor, caseId: string, language: WorkbookLanguage): Promise<WorkbookFile> {
    const snapshot = await this.authorize(actor, caseId);
    const model = await this.model(actor, snapshot, language);
    return { fileName: `self-assessment-workbook-${caseId}.xlsx`, bytes: await writeWorkbook(model) };
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
    const read = await readWorkbook(bytes, 'self_assessment');
    const { model, current } = await this.load(actor, snapshot, 'en');
    assertWorkbookOfCase(read, model);
    const decisions = diffWorkbook(read, model.lines, current, {
      kind: 'self_assessment',
      mode: query.mode,
      scale: model.scale,
      evidenceIds: null,
      maxNoteLength: 4000,
    });
    const { counts, result, toApply: items } = planImport(decisions, query, sha256, toRowDto);
    if (items === null || items.length === 0) return result(false);
    await this.selfAssessments.save(
      actor,
      caseId,
      {
        answers: items.map((item) => ({
          indicatorCode: item.indicatorCode,
          rating: item.workbook!.rating!,
          ...(item.workbook!.note ? { comment: item.workbook!.note } : {}),
        })),
      },
      {
        audit: { workbook: { sha256, mode: query.mode, counts } },
        expectedUpdatedAt: new Map(items.map((item) => [item.indicatorCode, item.version])),
      },
    );
    return result(true);
  }

  /** The institution's users while the case is a draft (the certification body does not see drafts). */
  private async authorize(actor: Actor, caseId: string): Promise<CaseSnapshot> {
    const snapshot = await this.access.findVisible(actor, caseId);
    if (!CaseRelation.isInstitutionUser(actor, snapshot)) {
      throw new ForbiddenError('Only the institution works on its self-assessment workbook');
    }
    CaseEditWindow.assertOpen('self_assessment', snapshot.status);
    return snapshot;
  }

  private async model(
    actor: Actor,
    snapshot: CaseSnapshot,
    language: WorkbookLanguage,
  ): Promise<WorkbookModel> {
    return (await this.load(actor, snapshot, language)).model;
  }

  private async load(
    actor: Actor,
    snapshot: CaseSnapshot,
    language: WorkbookLanguage,
  ): Promise<{ model: WorkbookModel; current: Map<string, CurrentIndicator> }> {
    const edition = await this.standards.requireDocument(snapshot.editionId);
    const view = await this.selfAssessments.get(actor, snapshot.id);
    const current = new Map<string, CurrentIndicator>(
      view.answers.map((answer) => {
        const version = answer.updatedAt ? new Date(answer.updatedAt).getTime() : 0;
        return [
          answer.indicatorCode,
          {
            code: answer.indicatorCode,
            applicable: answer.applicable,
            rating: answer.rating,
            note: answer.comment,
            evidenceIds: [],
            version,
            stored: version > 0,
          },
        ];
      }),
    );
    const lines = this.support.linesOf(edition, language, (code) => {
      const now = current.get(code)!;
      return {
        applicable: now.applicable,
        rating: now.rating,
        note: now.note,
        evidenceIds: [],
        version: now.version,
      };
    });
    const model: WorkbookModel = {
      kind: 'self_assessment',
      language,
      caseId: snapshot.id,
      editionId: snapshot.editionId,
      fingerprint: fingerprintOf('self_assessment', snapshot.id, snapshot.editionId, lines),
      cover: await this.support.coverOf(actor, snapshot, edition, false),
      scale: this.support.scaleOf(edition, language),
      lines,
      evidence: null,
    };
    return { model, current };
  }
}

function toRowDto(decision: RowDecision): WorkbookImportResultDto['rows'][number] {
  return {
    indicatorCode: decision.indicatorCode,
    current: { rating: decision.current.rating, comment: decision.current.note },
    workbook: decision.workbook && { rating: decision.workbook.rating, comment: decision.workbook.note },
    outcome: decision.outcome,
    ...(decision.reason ? { reason: decision.reason } : {}),
    ...(decision.cell ? { cell: decision.cell } : {}),
  };
}
