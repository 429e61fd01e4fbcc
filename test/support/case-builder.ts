import type { ApiClient, Session } from './api-client';
import type { World } from './world';

export interface CaseRef {
  id: string;
  version: number;
  status: string;
}

/** What a builder opens unless told otherwise: an initial certification, or a case of a certificate. */
export interface CaseKind {
  type: 'certification' | 'check_in' | 'renewal';
  certificateNumber?: string;
}

/** Drives a case through HTTP as the people who own each step. */
export class CaseBuilder {
  constructor(
    private readonly client: ApiClient,
    private readonly world: World,
    private readonly editionId = world.openEditionId,
    private readonly kind: CaseKind = { type: 'certification' },
  ) {}

  /** The same builder for cases under another edition. */
  withEdition(editionId: string): CaseBuilder {
    return new CaseBuilder(this.client, this.world, editionId, this.kind);
  }

  /**
   * The same builder opening renewals (or check-ins) of a certificate the world's institution holds: the
   * way cases run under an edition closed to new initial certifications (cps-2016).
   */
  ofCertificate(certificateNumber: string, type: 'check_in' | 'renewal' = 'renewal'): CaseBuilder {
    return new CaseBuilder(this.client, this.world, this.editionId, { type, certificateNumber });
  }

  /** The edition this builder opens cases under. */
  get edition(): string {
    return this.editionId;
  }

  async open(
    overrides: {
      editionId?: string;
      certifierId?: string;
      as?: Session;
      type?: string;
      certificateNumber?: string;
    } = {},
  ): Promise<CaseRef> {
    const response = await this.client
      .post('/api/v1/cases', overrides.as ?? this.world.sessions.institution_admin)
      .send({
        editionId: overrides.editionId ?? this.editionId,
        certifierId: overrides.certifierId ?? this.world.certifierId,
        ...(overrides.type
          ? {
              type: overrides.type,
              ...(overrides.certificateNumber ? { certificateNumber: overrides.certificateNumber } : {}),
            }
          : {
              type: this.kind.type,
              ...(this.kind.certificateNumber ? { certificateNumber: this.kind.certificateNumber } : {}),
            }),
      });
    if (response.status !== 201)
      throw new Error(`open case: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as CaseRef;
  }

  async read(
    caseId: string,
    as: Session = this.world.sessions.secretariat_admin,
  ): Promise<CaseRef & Record<string, any>> {
    const response = await this.client.get(`/api/v1/cases/${caseId}`, as);
    if (response.status !== 200)
      throw new Error(`read case: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Answers every applicable indicator of the self-assessment with `met`. */
  async completeSelfAssessment(
    caseId: string,
    as: Session = this.world.sessions.institution_admin,
  ): Promise<void> {
    const current = await this.client.get(`/api/v1/cases/${caseId}/self-assessment`, as);
    const answers = (current.body.answers as { indicatorCode: string; applicable: boolean }[])
      .filter((answer) => answer.applicable)
      .map((answer) => ({
        indicatorCode: answer.indicatorCode,
        rating: 'met',
        comment: 'Policy manual, section 4',
      }));
    const response = await this.client.put(`/api/v1/cases/${caseId}/self-assessment`, as).send({ answers });
    if (response.status !== 200)
      throw new Error(`self-assessment: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async transition(
    caseId: string,
    action: string,
    as: Session,
    extra: { reason?: string; data?: Record<string, unknown> } = {},
  ): Promise<CaseRef> {
    const { version } = await this.read(caseId);
    const response = await this.client
      .post(`/api/v1/cases/${caseId}/transitions`, as)
      .send({ action, version, ...extra });
    if (response.status !== 200)
      throw new Error(`${action}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as CaseRef;
  }

  async assignTeam(
    caseId: string,
    team: {
      leadRaterId: string;
      raterIds: string[];
      committeeMemberIds: string[];
      committeeChairId?: string | null;
    },
  ): Promise<CaseRef> {
    const { version } = await this.read(caseId);
    const response = await this.client
      .put(`/api/v1/cases/${caseId}/team`, this.world.sessions.certifier_admin)
      .send({ version, ...team });
    if (response.status !== 200) throw new Error(`team: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as CaseRef;
  }

  async declare(caseId: string, as: Session, hasConflict = false): Promise<void> {
    const response = await this.client.post(`/api/v1/cases/${caseId}/coi-declarations`, as).send({
      hasConflict,
      statement: hasConflict
        ? 'I advised this institution last year'
        : 'No relationship with the institution',
    });
    if (response.status !== 201)
      throw new Error(`declare: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async setMission(caseId: string, as: Session = this.world.sessions.rater): Promise<CaseRef> {
    const { version } = await this.read(caseId);
    const response = await this.client.put(`/api/v1/cases/${caseId}/mission`, as).send({
      version,
      startsOn: '2026-12-07',
      endsOn: '2026-12-11',
      branchesVisited: ['Head office', 'Branch Norte'],
      interviews: { clients: 24, staff: 11, management: 4 },
    });
    if (response.status !== 200)
      throw new Error(`mission: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as CaseRef;
  }

  /** draft → submitted */
  async submitted(openWith: Parameters<CaseBuilder['open']>[0] = {}): Promise<CaseRef> {
    const opened = await this.open(openWith);
    await this.completeSelfAssessment(opened.id);
    return this.transition(opened.id, 'submit', this.world.sessions.institution_admin);
  }

  /** → desk_review with the world's rater as lead rater and its committee member on the committee. */
  async inDeskReview(openWith: Parameters<CaseBuilder['open']>[0] = {}): Promise<CaseRef> {
    const submitted = await this.submitted(openWith);
    await this.transition(submitted.id, 'accept', this.world.sessions.certifier_admin, {
      data: { leadRaterId: this.world.sessions.rater.userId },
    });
    return this.assignTeam(submitted.id, {
      leadRaterId: this.world.sessions.rater.userId,
      raterIds: [],
      committeeMemberIds: [this.world.sessions.committee_member.userId],
    });
  }

  /** → onsite: team declared, mission set. */
  async onsite(openWith: Parameters<CaseBuilder['open']>[0] = {}): Promise<CaseRef> {
    const inReview = await this.inDeskReview(openWith);
    await this.declare(inReview.id, this.world.sessions.rater);
    await this.declare(inReview.id, this.world.sessions.committee_member);
    await this.setMission(inReview.id);
    return this.transition(inReview.id, 'start_onsite', this.world.sessions.rater);
  }

  /** Rates every applicable indicator (`met` unless `overrides` says otherwise, with a justification). */
  async rateAll(
    caseId: string,
    overrides: Record<string, string> = {},
    as: Session = this.world.sessions.rater,
  ): Promise<void> {
    const current = await this.client.get(`/api/v1/cases/${caseId}/ratings`, as);
    const ratings = (
      current.body.ratings as { indicatorCode: string; applicable: boolean; version: number }[]
    )
      .filter((rating) => rating.applicable)
      .map((rating) => {
        const value = overrides[rating.indicatorCode] ?? 'met';
        return {
          indicatorCode: rating.indicatorCode,
          rating: value,
          ...(value === 'met' ? {} : { justification: `Rated ${value} after file review and interviews` }),
          ...(rating.version > 0 ? { version: rating.version } : {}),
        };
      });
    const response = await this.client.put(`/api/v1/cases/${caseId}/ratings`, as).send({ ratings });
    if (response.status !== 200)
      throw new Error(`ratings: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async addFinding(
    caseId: string,
    indicatorCodes: string[],
    as: Session = this.world.sessions.rater,
  ): Promise<{ id: string; version: number }> {
    const response = await this.client.post(`/api/v1/cases/${caseId}/findings`, as).send({
      indicatorCodes,
      severity: 'major',
      description: 'Loan officers do not verify repayment capacity for repeat loans',
      recommendation: 'Apply the capacity analysis to every loan cycle',
      correctiveActionDueOn: '2027-03-31',
    });
    if (response.status !== 201)
      throw new Error(`finding: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string; version: number };
  }

  /** → findings_issued: every applicable indicator rated met except `notMet`, each of those with a finding. */
  async findingsIssued(
    notMet: string[] = [],
    openWith: Parameters<CaseBuilder['open']>[0] = {},
  ): Promise<CaseRef> {
    const onsite = await this.onsite(openWith);
    await this.rateAll(onsite.id, Object.fromEntries(notMet.map((code) => [code, 'not_met'])));
    if (notMet.length > 0) await this.addFinding(onsite.id, notMet);
    return this.transition(onsite.id, 'issue_findings', this.world.sessions.rater);
  }

  /** → decided: all met, referred to the committee and decided certified by the world's committee member. */
  async decided(
    outcome: 'certified' | 'not_certified' = 'certified',
    openWith: Parameters<CaseBuilder['open']>[0] = {},
  ): Promise<CaseRef> {
    const issued = await this.findingsIssued([], openWith);
    await this.transition(issued.id, 'refer_to_committee', this.world.sessions.rater);
    return this.transition(issued.id, 'decide', this.world.sessions.committee_member, {
      data: {
        outcome,
        rationale:
          outcome === 'certified' ? 'Every applicable standard is met' : 'The committee is not convinced',
      },
    });
  }

  /** → closed with a certificate: decided certified, decision accepted, published. Returns the number. */
  async published(
    openWith: Parameters<CaseBuilder['open']>[0] = {},
  ): Promise<{ caseId: string; certificateNumber: string }> {
    const decided = await this.decided('certified', openWith);
    await this.transition(decided.id, 'accept_decision', this.world.sessions.institution_admin);
    await this.transition(decided.id, 'publish', this.world.sessions.secretariat_officer);
    const history = await this.client.get(
      `/api/v1/cases/${decided.id}/history`,
      this.world.sessions.secretariat_admin,
    );
    const issued = (history.body as { action: string; data: { certificateNumber?: string } }[]).find(
      (event) => event.action === 'case.publish',
    );
    return { caseId: decided.id, certificateNumber: issued?.data.certificateNumber ?? '' };
  }
}
