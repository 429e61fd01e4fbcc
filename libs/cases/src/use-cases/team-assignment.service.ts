import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  type Actor,
  DomainError,
  ErrorCode,
  ForbiddenError,
  StaleVersionError,
  todayUtc,
  ValidationError,
} from '@app/common';
import { UserEntity } from '@app/identity';
import { runUseCaseTransaction } from '@app/database';
import { DataSource, In } from 'typeorm';
import { CaseQueriesService } from './case-queries.service';
import { CaseAccessService, CaseRelation } from '../case-access.service';
import { CaseEditWindow } from '../case-edit-window';
import { GuardFailedError, NotOnTeamError } from '../cases.errors';
import type {
  AssignTeamRequestDto,
  ConflictDeclarationDto,
  ConflictDeclarationRequestDto,
  CaseDto,
} from '../dto/case.dto';
import { CaseTeamMemberEntity } from '../entities/case-team-member.entity';
import { CertificationCaseEntity } from '../entities/certification-case.entity';
import { CoiDeclarationEntity } from '../entities/coi-declaration.entity';
import { ImpartialityService } from '../impartiality.service';

/** The mission team and the committee of a case, and their conflict-of-interest declarations. */
@Injectable()
export class TeamAssignmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly impartiality: ImpartialityService,
    private readonly audit: AuditService,
    private readonly queries: CaseQueriesService,
  ) {}

  async assignTeam(actor: Actor, caseId: string, request: AssignTeamRequestDto): Promise<CaseDto> {
    const snapshot = await this.access.findVisible(actor, caseId);
    if (!CaseRelation.isCertifierAdmin(actor, snapshot)) {
      throw new ForbiddenError("Only the certification body's admin assigns the team");
    }
    const raterIds = [...new Set(request.raterIds.filter((id) => id !== request.leadRaterId))];
    const isMissionTeamUnchanged =
      request.leadRaterId === snapshot.team.leadRaterId &&
      raterIds.length === snapshot.team.raterIds.length &&
      raterIds.every((id) => snapshot.team.raterIds.includes(id));
    // Once the committee has the case the mission team is fixed; only the committee may still change.
    const edit = isMissionTeamUnchanged ? 'committee' : 'team';
    CaseEditWindow.assertOpen(edit, snapshot.status);
    const committeeIds = [...new Set(request.committeeMemberIds)];
    const chairId = request.committeeChairId ?? null;
    if (chairId !== null && !committeeIds.includes(chairId)) {
      throw new ValidationError('The chair must be one of the committee members', [
        { field: 'committeeChairId', message: 'is not in committeeMemberIds' },
      ]);
    }
    const missionTeam = [request.leadRaterId, ...raterIds];

    await runUseCaseTransaction(this.dataSource, async (manager) => {
      // The case row itself is updated below: locked for update, its window and version checked now.
      const locked = await CaseEditWindow.lockForEdit(manager, caseId, edit, 'update');
      if (locked.version !== request.version) throw new StaleVersionError('Case', request.version);
      // Nobody decides a case they evaluated: not on the team now, nor earlier in the case.
      const everOnMissionTeam = await this.impartiality.formerMissionMembers(manager, caseId);
      const dependent = committeeIds.filter((id) => missionTeam.includes(id) || everOnMissionTeam.has(id));
      if (dependent.length > 0) {
        throw new GuardFailedError(
          ErrorCode.CommitteeNotIndependent,
          'A committee member may not be on (or have been on) the mission team of the case',
          dependent.map((userId) => ({
            field: 'committeeMemberIds',
            message: 'evaluates this case',
            userId,
          })),
        );
      }
      // Once the mission team is fixed (its window closed), a change of the committee checks only the
      // committee: the mission team's rows stay as they are (a rater who has since left the body must not
      // keep an appeal from getting an independent reviewer). While it may still change, everyone is checked.
      const wanted =
        edit === 'committee' && !CaseEditWindow.isOpen('team', locked.status)
          ? committeeIds
          : [...missionTeam, ...committeeIds];
      const users = await manager.getRepository(UserEntity).findBy({ id: In(wanted) });
      const invalid = wanted.filter((userId) => {
        const user = users.find((candidate) => candidate.id === userId);
        const expectedRole = committeeIds.includes(userId) ? 'committee_member' : 'rater';
        return (
          !user ||
          !user.isActive ||
          user.organizationId !== snapshot.certifierId ||
          user.role !== expectedRole
        );
      });
      if (invalid.length > 0) {
        throw new GuardFailedError(
          ErrorCode.TeamMemberInvalid,
          'Team members must be active raters, and committee members active committee members, of the certification body',
          invalid.map((userId) => ({
            field: committeeIds.includes(userId) ? 'committeeMemberIds' : 'raterIds',
            message: 'is not eligible',
            userId,
          })),
        );
      }
      await this.impartiality.assertNoBlockingPriorService(
        manager,
        snapshot.institutionId,
        snapshot.certifierId,
        wanted,
        todayUtc(),
      );
      await this.impartiality.assertNoDeclaredConflict(manager, caseId, wanted);
      // A member who has voted in the committee's current round stays until it ends: removing them would
      // drop their vote from the tally (and a majority with it).
      if (locked.status === 'committee_review') {
        const voted = await manager.query<{ voter_id: string }[]>(
          `SELECT DISTINCT v.voter_id FROM committee_vote v JOIN certification_case c ON c.id = v.case_id
            WHERE v.case_id = $1 AND v.round = c.committee_round AND NOT (v.voter_id = ANY($2::uuid[]))`,
          [caseId, committeeIds],
        );
        if (voted.length > 0) {
          throw new DomainError(
            ErrorCode.CaseLocked,
            'A committee member who has voted in this review stays on the committee until it ends',
            voted.map((row) => ({
              field: 'committeeMemberIds',
              message: 'has voted in this review',
              userId: row.voter_id,
            })),
          );
        }
      }

      const bumped = await manager
        .createQueryBuilder()
        .update(CertificationCaseEntity)
        .set({ committeeChairId: chairId, version: () => 'version + 1', updatedAt: () => 'now()' })
        .where('id = :caseId AND version = :version', { caseId, version: request.version })
        .execute();
      if (bumped.affected !== 1) throw new StaleVersionError('Case', request.version);
      const members = manager.getRepository(CaseTeamMemberEntity);
      await members.delete({ caseId });
      await members.insert([
        { caseId, userId: request.leadRaterId, teamRole: 'lead_rater' },
        ...raterIds.map((userId) => ({ caseId, userId, teamRole: 'rater' as const })),
        ...committeeIds.map((userId) => ({ caseId, userId, teamRole: 'committee_member' as const })),
      ]);
      await this.audit.record(manager, actor, {
        entityType: 'case',
        entityId: caseId,
        caseId,
        action: 'case.team_assigned',
        data: {
          leadRaterId: request.leadRaterId,
          raterIds,
          committeeMemberIds: committeeIds,
          committeeChairId: chairId,
        },
      });
    });
    return this.queries.get(actor, caseId);
  }

  async declareConflict(
    actor: Actor,
    caseId: string,
    request: ConflictDeclarationRequestDto,
  ): Promise<ConflictDeclarationDto> {
    const snapshot = await this.access.findVisible(actor, caseId);
    if (!CaseRelation.isOnTeam(actor, snapshot) || !actor.userId) {
      throw new NotOnTeamError('Only users assigned to the case declare conflicts of interest for it');
    }
    const userId = actor.userId;
    CaseEditWindow.assertOpen('coi_declaration', snapshot.status);
    const declaration = await runUseCaseTransaction(this.dataSource, async (manager) => {
      await CaseEditWindow.lockForEdit(manager, caseId, 'coi_declaration');
      const saved = await manager
        .getRepository(CoiDeclarationEntity)
        .save(manager.getRepository(CoiDeclarationEntity).create({ caseId, userId, ...request }));
      await this.audit.record(manager, actor, {
        entityType: 'case',
        entityId: caseId,
        caseId,
        action: 'case.conflict_declared',
        data: { userId, hasConflict: request.hasConflict, statement: request.statement },
      });
      return saved;
    });
    return {
      id: declaration.id,
      caseId,
      userId,
      hasConflict: declaration.hasConflict,
      statement: declaration.statement,
      declaredAt: declaration.declaredAt.toISOString(),
    };
  }
}
