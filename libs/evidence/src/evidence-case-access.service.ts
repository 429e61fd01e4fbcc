import { Injectable } from '@nestjs/common';
import { CaseAccessService, type CaseSnapshot, lockCaseRow } from '@app/cases';
import { type Actor, DomainError, ErrorCode, NotFoundError } from '@app/common';
import { StandardsService } from '@app/standards';
import type { EntityManager } from 'typeorm';
import { UnknownIndicatorCodesError } from './evidence.errors';

/** What evidence needs of a case: visibility, a stable status while recording, its edition's codes. */
@Injectable()
export class EvidenceCaseAccess {
  constructor(
    private readonly cases: CaseAccessService,
    private readonly standards: StandardsService,
  ) {}

  /** The case as the caller sees it; 404 otherwise (`what` names the resource in the message). */
  async findVisible(
    actor: Actor,
    caseId: string,
    what = 'Case',
    manager?: EntityManager,
  ): Promise<CaseSnapshot> {
    try {
      return await this.cases.findVisible(actor, caseId, manager);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.NotFound) throw new NotFoundError(what);
      throw error;
    }
  }

  /**
   * Inside a transaction: the case row share-locked, so that its status cannot change before the
   * evidence is recorded, then read and checked again.
   */
  async lockVisible(
    manager: EntityManager,
    actor: Actor,
    caseId: string,
    what = 'Case',
  ): Promise<CaseSnapshot> {
    await lockCaseRow(manager, caseId, 'share');
    return this.findVisible(actor, caseId, what, manager);
  }

  /** 422 UNKNOWN_INDICATOR_CODES naming every code that is not an indicator of the edition. */
  async assertKnownIndicators(editionId: string, codes: string[], manager?: EntityManager): Promise<void> {
    const unknown = await this.standards.findUnknownIndicatorCodes(editionId, codes, manager);
    if (unknown.length > 0) throw new UnknownIndicatorCodesError(unknown, editionId);
  }
}
