import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, todayUtc } from '@app/common';
import { DataSource } from 'typeorm';
import { TransitionService } from '../transitions/transition.service';

/**
 * Closes cases decided `not_certified` whose appeal window ended (or was waived) without an appeal.
 * Each close is the ordinary conditional transition, so two workers racing close a case once.
 */
@Injectable()
export class CloseLapsedCasesService {
  private readonly logger = new Logger(CloseLapsedCasesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: TransitionService,
  ) {}

  async closeLapsed(today: string = todayUtc()): Promise<number> {
    const due = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM certification_case
       WHERE status = 'decided' AND outcome = 'not_certified'
         AND (decision_accepted_at IS NOT NULL OR appeal_due_on < $1)
       ORDER BY decided_at LIMIT 500`,
      [today],
    );
    let closed = 0;
    for (const { id } of due) {
      try {
        await this.transitions.applyAsSystem(id, 'close', 'The appeal window ended without an appeal');
        closed += 1;
      } catch (error) {
        // Another worker closed it, or someone appealed meanwhile: nothing to do.
        if (!(error instanceof DomainError)) throw error;
        this.logger.debug(`case ${id} not closed: ${error.code}`);
      }
    }
    return closed;
  }
}
