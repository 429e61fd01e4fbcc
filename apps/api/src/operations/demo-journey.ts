import { Logger } from '@nestjs/common';
import { addDays, todayUtc } from '@app/common';
import { DEMO_PASSWORD } from './demo-seeder';

interface Session {
  token: string;
  userId: string;
  organizationId: string;
}

const DEMO_EDITION = 'cps-2022';
const DEMO_INSTITUTION = 'Sahel Savings and Credit Cooperative';

/**
 * Plays one certification through the running API as the demo users would, so that the quick start
 * shows a certificate in the public registry, its PDF and a report: the Sahel cooperative applies
 * under the 2022 standards, the certification body evaluates on site and decides, the cooperative
 * accepts and the secretariat publishes. Skipped when the cooperative already holds a certificate.
 */
export class DemoJourney {
  private readonly logger = new Logger(DemoJourney.name);

  constructor(private readonly baseUrl: string) {}

  /** The number of the demo certificate (new or existing). */
  async play(): Promise<string> {
    const existing = await this.call<{ items: { certificateNumber: string }[] }>(
      'GET',
      `/api/v1/registry?q=${encodeURIComponent(DEMO_INSTITUTION)}&status=all`,
    );
    if (existing.items.length > 0) return existing.items[0].certificateNumber;

    const institution = await this.login('admin@sahel.demo');
    const certifier = await this.login('admin@certifier.demo');
    const rater = await this.login('rater@certifier.demo');
    const committee = await this.login('committee@certifier.demo');
    const secondCommittee = await this.login('committee2@certifier.demo');
    const officer = await this.login('officer@secretariat.demo');

    const opened = await this.call<{ id: string }>('POST', '/api/v1/cases', institution, {
      editionId: DEMO_EDITION,
      certifierId: certifier.organizationId,
      type: 'certification',
    });
    const caseId = opened.id;
    const selfAssessment = await this.call<{ answers: { indicatorCode: string; applicable: boolean }[] }>(
      'GET',
      `/api/v1/cases/${caseId}/self-assessment`,
      institution,
    );
    await this.call('PUT', `/api/v1/cases/${caseId}/self-assessment`, institution, {
      answers: selfAssessment.answers
        .filter((answer) => answer.applicable)
        .map((answer) => ({ indicatorCode: answer.indicatorCode, rating: 'met', comment: 'Policy manual' })),
    });
    await this.transition(caseId, 'submit', institution);
    await this.transition(caseId, 'accept', certifier, { data: { leadRaterId: rater.userId } });
    await this.call('PUT', `/api/v1/cases/${caseId}/team`, certifier, {
      version: await this.version(caseId, certifier),
      leadRaterId: rater.userId,
      raterIds: [],
      // A committee of two (the certifier's default quorum), chaired by the first.
      committeeMemberIds: [committee.userId, secondCommittee.userId],
      committeeChairId: committee.userId,
    });
    for (const member of [rater, committee, secondCommittee]) {
      await this.call('POST', `/api/v1/cases/${caseId}/coi-declarations`, member, {
        hasConflict: false,
        statement: 'No relationship with the institution',
      });
    }
    await this.call('PUT', `/api/v1/cases/${caseId}/mission`, rater, {
      version: await this.version(caseId, rater),
      startsOn: addDays(todayUtc(), -18),
      endsOn: addDays(todayUtc(), -14),
      branchesVisited: ['Dakar head office', 'Thiès branch', 'Kaolack branch'],
      interviews: { clients: 32, staff: 14, management: 5 },
    });
    await this.transition(caseId, 'start_onsite', rater);
    const ratings = await this.call<{ ratings: { indicatorCode: string; applicable: boolean }[] }>(
      'GET',
      `/api/v1/cases/${caseId}/ratings`,
      rater,
    );
    await this.call('PUT', `/api/v1/cases/${caseId}/ratings`, rater, {
      ratings: ratings.ratings
        .filter((rating) => rating.applicable)
        .map((rating) => ({ indicatorCode: rating.indicatorCode, rating: 'met' })),
    });
    await this.transition(caseId, 'issue_findings', rater);
    await this.transition(caseId, 'refer_to_committee', rater);
    await this.call('POST', `/api/v1/cases/${caseId}/votes`, secondCommittee, {
      outcome: 'certified',
      rationale: 'The findings are answered and the sample of client files is convincing.',
    });
    // The chair's own vote completes the quorum; the majority's decision is sealed.
    await this.transition(caseId, 'decide', committee, {
      data: {
        outcome: 'certified',
        rationale: 'Every applicable indicator is met; the on-site sample confirmed the self-assessment.',
      },
    });
    await this.transition(caseId, 'accept_decision', institution);
    await this.transition(caseId, 'publish', officer);
    const published = await this.call<{ items: { certificateNumber: string }[] }>(
      'GET',
      `/api/v1/registry?q=${encodeURIComponent(DEMO_INSTITUTION)}`,
    );
    this.logger.log(`Demo certification published: ${published.items[0]?.certificateNumber ?? '—'}`);
    return published.items[0]?.certificateNumber ?? '';
  }

  private async login(email: string): Promise<Session> {
    const body = await this.call<{ accessToken: string; user: { id: string; organization: { id: string } } }>(
      'POST',
      '/api/v1/auth/login',
      undefined,
      { email, password: DEMO_PASSWORD },
    );
    return { token: body.accessToken, userId: body.user.id, organizationId: body.user.organization.id };
  }

  private async version(caseId: string, as: Session): Promise<number> {
    return (await this.call<{ version: number }>('GET', `/api/v1/cases/${caseId}`, as)).version;
  }

  private async transition(
    caseId: string,
    action: string,
    as: Session,
    extra: { data?: Record<string, unknown> } = {},
  ): Promise<void> {
    await this.call('POST', `/api/v1/cases/${caseId}/transitions`, as, {
      action,
      version: await this.version(caseId, as),
      ...extra,
    });
  }

  private async call<T = unknown>(method: string, path: string, as?: Session, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(as ? { authorization: `Bearer ${as.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Demo journey: ${method} ${path} answered ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
