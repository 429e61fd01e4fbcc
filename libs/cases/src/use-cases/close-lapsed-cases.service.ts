import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, todayUtc } from '@app/common';
import { DataSource } from 'typeorm';
import { TransitionService } from '../transitions/transition.service';

/**
 * Closes cases decided `not_certified` once nothing may follow the decision any more: the decision was
 * accepted, or its appeal window ended without an appeal, or an appeal was resolved and the window to
 * escalate the resolution ended (resolve_appeal clears appeal_due_on and sets escalation_due_on), or an
 * escalation was resolved (both cleared). Each close is the ordinary conditional transition with its
 * guards, so two workers racing close a case once.
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
         AND (decision_accepted_at IS NOT NULL
              OR ((appeal_due_on IS NULL OR appeal_due_on < $1)
                  AND (escalation_due_on IS NULL OR escalation_due_on < $1)))
       ORDER BY decided_at LIMIT 500`,
      [today],
    );
    let closed = 0;
    for (const { id } of due) {
      try {
        await this.transitions.applyAsSystem(id, 'close', 'The appeal and escalation windows ended');
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
