import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CertificateEntity } from '@app/certificates';
import { type Actor, isSecretariat, NotFoundError } from '@app/common';
import { DataSource, In } from 'typeorm';
import type { ImprovementPlanDto } from '../dto/corrective-action.dto';
import { ActionVerificationEntity } from '../entities/action-verification.entity';
import { CorrectiveActionEntity } from '../entities/corrective-action.entity';
import { PLAN_CASES_SQL } from './action-plan.carrier';
import { toCorrectiveActionDto } from './corrective-action.mapper';
import { InstitutionActionView } from './institution-action-view';

/**
 * A certificate's confidential improvement plan: the actions open at its decision (and at its check-ins'),
 * with their latest verification. For the holder, the admin of its certification body, the teams of its
 * cases and the secretariat only; never on the public registry or the certificate PDF.
 */
@Injectable()
export class ImprovementPlanService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly institutionView: InstitutionActionView,
  ) {}

  async get(actor: Actor, certificateNumber: string): Promise<ImprovementPlanDto> {
    const certificate = await this.dataSource
      .getRepository(CertificateEntity)
      .findOneBy({ number: certificateNumber });
    // Anyone else is answered as for a certificate they may not see.
    if (!certificate || !(await this.canSeePlan(actor, certificate))) throw new NotFoundError('Certificate');
    const isHolder =
      actor.organizationKind === 'institution' && certificate.institutionId === actor.organizationId;
    const ids = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM corrective_action WHERE carried_from_case_id IN (${PLAN_CASES_SQL})`,
      [certificate.number],
    );
    const planned = ids.length
      ? await this.dataSource.getRepository(CorrectiveActionEntity).find({
          where: { id: In(ids.map((row) => row.id)) },
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      : [];
    const recorded = planned.length
      ? await this.dataSource.getRepository(ActionVerificationEntity).find({
          where: { actionId: In(planned.map((action) => action.id)) },
          order: { verifiedAt: 'DESC' },
        })
      : [];
    const { actions, verifications } = isHolder
      ? await this.institutionView.of(planned, recorded)
      : { actions: planned, verifications: recorded };
    return {
      certificateNumber: certificate.number,
      actions: actions.map((action) =>
        toCorrectiveActionDto(
          action,
          verifications.find((verification) => verification.actionId === action.id) ?? null,
          null,
        ),
      ),
    };
  }

  /**
   * The holder, the secretariat, the admin of the certificate's certification body, and the lead rater,
   * raters and committee members of a case of the certificate (the case that issued it, its check-ins and
   * renewals) as the case's certification body.
   */
  private async canSeePlan(actor: Actor, certificate: CertificateEntity): Promise<boolean> {
    if (isSecretariat(actor)) return true;
    if (actor.organizationKind === 'institution') return certificate.institutionId === actor.organizationId;
    if (actor.organizationKind !== 'certifier' || actor.organizationId === null) return false;
    if (actor.role === 'certifier_admin') return certificate.certifierId === actor.organizationId;
    if (actor.userId === null) return false;
    const [{ isOnTeam }] = await this.dataSource.query<{ isOnTeam: boolean }[]>(
      `SELECT EXISTS (
         SELECT 1 FROM certification_case c JOIN case_team_member m ON m.case_id = c.id
          WHERE m.user_id = $2 AND c.certifier_id = $3 AND c.submitted_at IS NOT NULL
            AND (c.id = $4 OR c.certificate_number = $1)) AS "isOnTeam"`,
      [certificate.number, actor.userId, actor.organizationId, certificate.caseId],
    );
    return isOnTeam;
  }
}
