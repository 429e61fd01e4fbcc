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

/**
 * A certificate's confidential improvement plan: the actions open at its decision (and at its check-ins'),
 * with their latest verification. For the holder, its certification body and the secretariat only; never
 * on the public registry or the certificate PDF.
 */
@Injectable()
export class ImprovementPlanService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(actor: Actor, certificateNumber: string): Promise<ImprovementPlanDto> {
    const certificate = await this.dataSource
      .getRepository(CertificateEntity)
      .findOneBy({ number: certificateNumber });
    const isParty =
      certificate !== null &&
      (isSecretariat(actor) ||
        (actor.organizationKind === 'institution' && certificate.institutionId === actor.organizationId) ||
        (actor.organizationKind === 'certifier' && certificate.certifierId === actor.organizationId));
    if (!certificate || !isParty) throw new NotFoundError('Certificate');
    const ids = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM corrective_action WHERE carried_from_case_id IN (${PLAN_CASES_SQL})`,
      [certificate.number],
    );
    const actions = ids.length
      ? await this.dataSource.getRepository(CorrectiveActionEntity).find({
          where: { id: In(ids.map((row) => row.id)) },
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      : [];
    const verifications = actions.length
      ? await this.dataSource.getRepository(ActionVerificationEntity).find({
          where: { actionId: In(actions.map((action) => action.id)) },
          order: { verifiedAt: 'DESC' },
        })
      : [];
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
}
