import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { type TransitionContext, TransitionGuardRegistry } from '@app/cases';
import type { Actor } from '@app/common';
import type { EntityManager } from 'typeorm';
import { CorrectiveActionCaseEntity } from '../entities/corrective-action-case.entity';
import { CorrectiveActionEntity } from '../entities/corrective-action.entity';
import type { FindingEntity } from '../entities/finding.entity';

/**
 * The cases whose decisions make up a certificate's improvement plan: the case that issued it, its
 * check-ins, and its renewals not (or not yet, or no longer after an appeal) decided certified — a renewal
 * carries the open actions into its own plan at its decision, and they stay on the plan of the certificate
 * still in force unless it is certified (the certificate it issues then has it as its case). `$1` is the
 * certificate number.
 */
export const PLAN_CASES_SQL = `
  SELECT case_id FROM certificate WHERE number = $1
  UNION
  SELECT id FROM certification_case
   WHERE certificate_number = $1
     AND (type = 'check_in' OR (type = 'renewal' AND outcome IS DISTINCT FROM 'certified'))`;

/**
 * Moves corrective actions along the case workflow: each finding gets its action, the actions still open
 * at a decision are carried into the improvement plan, and a check-in or renewal takes over the plan of the
 * certificate it concerns when it is submitted.
 */
@Injectable()
export class ActionPlanCarrier implements OnModuleInit {
  constructor(
    private readonly registry: TransitionGuardRegistry,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.registry.registerEffect('decide', 'improvement.carry_open_actions_into_plan', (context) =>
      this.carryOpenActionsIntoPlan(context),
    );
    this.registry.registerEffect('submit', 'improvement.take_over_certificate_plan', (context) =>
      this.takeOverCertificatePlan(context),
    );
  }

  /** The action of a new finding, in the finding's transaction: due when the finding says. */
  async createForFinding(manager: EntityManager, actor: Actor, finding: FindingEntity): Promise<void> {
    const action = await manager.getRepository(CorrectiveActionEntity).save(
      manager.getRepository(CorrectiveActionEntity).create({
        caseId: finding.caseId,
        findingId: finding.id,
        indicatorCodes: finding.indicatorCodes,
        description: finding.recommendation,
        dueOn: finding.correctiveActionDueOn,
        status: 'open',
        createdBy: actor.userId!,
      }),
    );
    await manager
      .getRepository(CorrectiveActionCaseEntity)
      .insert({ actionId: action.id, caseId: finding.caseId });
    await this.audit.record(manager, actor, {
      entityType: 'corrective_action',
      entityId: action.id,
      caseId: finding.caseId,
      action: 'action.created',
      data: { findingId: finding.id, indicatorCodes: action.indicatorCodes, dueOn: action.dueOn },
    });
  }

  /** Every action worked in the case and not verified joins the plan of the certificate the case leads to. */
  private async carryOpenActionsIntoPlan({ manager, caseRow }: TransitionContext) {
    const rows = await manager.query<{ id: string }[]>(
      `UPDATE corrective_action a
          SET carried_from_case_id = $1, carried_at = now()
        WHERE a.status <> 'verified'
          AND a.id IN (SELECT action_id FROM corrective_action_case WHERE case_id = $1)
        RETURNING a.id`,
      [caseRow.id],
    );
    return rows.length > 0 ? { actionsCarriedIntoPlan: rows.length } : {};
  }

  /** A check-in or renewal works on the open actions of its certificate's plan. */
  private async takeOverCertificatePlan({ manager, caseRow }: TransitionContext) {
    if (caseRow.type === 'certification' || !caseRow.certificateNumber) return {};
    const rows = await manager.query<{ action_id: string }[]>(
      `INSERT INTO corrective_action_case (action_id, case_id)
       SELECT a.id, $2 FROM corrective_action a
        WHERE a.status <> 'verified'
          AND a.carried_from_case_id IN (${PLAN_CASES_SQL})
          AND a.carried_from_case_id <> $2
       ON CONFLICT DO NOTHING
       RETURNING action_id`,
      [caseRow.certificateNumber, caseRow.id],
    );
    return rows.length > 0 ? { actionsTakenOver: rows.length } : {};
  }
}
