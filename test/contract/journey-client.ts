/**
 * A client of the API as a certification body's own tool would write it: openapi-fetch typed by the
 * types openapi-typescript generates from the served document (`@generated/openapi` is mapped to the
 * generated file by generated-client.e2e-spec.ts, which type-checks this file with tsc against them,
 * then runs it). Nothing here is typed by hand: a document that misstates a request or an answer makes
 * the type-check or the run fail. The main tsconfig leaves this file out (the types exist only while
 * that test runs).
 */
import createClient from 'openapi-fetch';
import type { components, paths } from '@generated/openapi';

type Schemas = components['schemas'];

/** True when A and B are the same type (not merely assignable). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// What a generated client must get right about a case (issue 17): the deadlines are dates as strings,
// the outcome is one of its values or null, a nullable member of the team may be null.
const deadlinesAreDateStrings: Equals<Schemas['DeadlinesDto']['acceptanceDueOn'], string | null> = true;
const outcomeIsAnEnumOrNull: Equals<Schemas['CaseDto']['outcome'], 'certified' | 'not_certified' | null> =
  true;
const leadRaterMayBeNull: Equals<Schemas['TeamDto']['leadRater'], Schemas['TeamMemberDto'] | null> = true;
const evidenceIsAnyMediaType: Equals<
  keyof paths['/api/v1/evidence/{evidenceId}/content']['get']['responses'][200]['content'],
  '*/*'
> = true;
export const TYPE_ASSERTIONS = [
  deadlinesAreDateStrings,
  outcomeIsAnEnumOrNull,
  leadRaterMayBeNull,
  evidenceIsAnyMediaType,
];

export interface JourneyPeople {
  institutionAdmin: string;
  certifierAdmin: string;
  rater: { token: string; userId: string };
  committeeMember: { token: string; userId: string };
  secretariatOfficer: string;
}

export interface JourneyInput {
  baseUrl: string;
  /** Access tokens of the people who act. */
  people: JourneyPeople;
  editionId: string;
  certifierId: string;
  missionStartsOn: string;
  missionEndsOn: string;
}

export interface JourneyResult {
  caseId: string;
  statuses: string[];
  deadlinesWhenSubmitted: Schemas['DeadlinesDto'];
  decided: Schemas['CaseDto'];
  certificateNumber: string;
  verification: Schemas['VerificationDto'];
}

type Case = Schemas['CaseDto'];

/** apply → onsite → decide → publish → verify, each step as its owner, through the typed client. */
export async function walkJourney(input: JourneyInput): Promise<JourneyResult> {
  const api = createClient<paths>({ baseUrl: input.baseUrl });
  const as = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
  const { people } = input;
  const statuses: string[] = [];

  function ok<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
    if (result.data === undefined)
      throw new Error(`${step}: ${result.response.status} ${JSON.stringify(result.error)}`);
    return result.data;
  }

  const transition = async (
    current: Case,
    token: string,
    action: Schemas['TransitionRequestDto']['action'],
    data?: Schemas['TransitionRequestDto']['data'],
  ): Promise<Case> => {
    const next = ok(
      action,
      await api.POST('/api/v1/cases/{caseId}/transitions', {
        params: { path: { caseId: current.id } },
        body: { action, version: current.version, ...(data === undefined ? {} : { data }) },
        ...as(token),
      }),
    );
    statuses.push(next.status);
    return next;
  };

  // Apply: open a draft, answer the self-assessment, submit.
  let current = ok(
    'open',
    await api.POST('/api/v1/cases', {
      body: { editionId: input.editionId, certifierId: input.certifierId, type: 'certification' },
      ...as(people.institutionAdmin),
    }),
  );
  statuses.push(current.status);
  const selfAssessment = ok(
    'read self-assessment',
    await api.GET('/api/v1/cases/{caseId}/self-assessment', {
      params: { path: { caseId: current.id } },
      ...as(people.institutionAdmin),
    }),
  );
  ok(
    'save self-assessment',
    await api.PUT('/api/v1/cases/{caseId}/self-assessment', {
      params: { path: { caseId: current.id } },
      body: {
        answers: selfAssessment.answers
          .filter((answer) => answer.applicable)
          .map((answer) => ({ indicatorCode: answer.indicatorCode, rating: 'met' as const })),
      },
      ...as(people.institutionAdmin),
    }),
  );
  current = await transition(current, people.institutionAdmin, 'submit');
  const deadlinesWhenSubmitted = current.deadlines;

  // The certification body accepts, names the team; the team declares and plans the mission; onsite.
  current = await transition(current, people.certifierAdmin, 'accept', { leadRaterId: people.rater.userId });
  current = ok(
    'team',
    await api.PUT('/api/v1/cases/{caseId}/team', {
      params: { path: { caseId: current.id } },
      body: {
        version: current.version,
        leadRaterId: people.rater.userId,
        raterIds: [],
        committeeMemberIds: [people.committeeMember.userId],
      },
      ...as(people.certifierAdmin),
    }),
  );
  for (const member of [people.rater, people.committeeMember]) {
    ok(
      'declare',
      await api.POST('/api/v1/cases/{caseId}/coi-declarations', {
        params: { path: { caseId: current.id } },
        body: { hasConflict: false, statement: 'No relationship with the institution' },
        ...as(member.token),
      }),
    );
  }
  current = ok(
    'read case',
    await api.GET('/api/v1/cases/{caseId}', {
      params: { path: { caseId: current.id } },
      ...as(people.rater.token),
    }),
  );
  current = ok(
    'mission',
    await api.PUT('/api/v1/cases/{caseId}/mission', {
      params: { path: { caseId: current.id } },
      body: {
        version: current.version,
        startsOn: input.missionStartsOn,
        endsOn: input.missionEndsOn,
        branchesVisited: ['Head office'],
        interviews: { clients: 12, staff: 6, management: 2 },
      },
      ...as(people.rater.token),
    }),
  );
  current = await transition(current, people.rater.token, 'start_onsite');

  // Onsite: rate every applicable indicator met, issue the (empty) findings, refer to the committee.
  const ratings = ok(
    'read ratings',
    await api.GET('/api/v1/cases/{caseId}/ratings', {
      params: { path: { caseId: current.id } },
      ...as(people.rater.token),
    }),
  );
  ok(
    'save ratings',
    await api.PUT('/api/v1/cases/{caseId}/ratings', {
      params: { path: { caseId: current.id } },
      body: {
        ratings: ratings.ratings
          .filter((rating) => rating.applicable)
          .map((rating) => ({ indicatorCode: rating.indicatorCode, rating: 'met' as const })),
      },
      ...as(people.rater.token),
    }),
  );
  current = await transition(current, people.rater.token, 'issue_findings');
  current = await transition(current, people.rater.token, 'refer_to_committee');

  // Decide, accept the decision, publish.
  const decided = await transition(current, people.committeeMember.token, 'decide', {
    outcome: 'certified',
    rationale: 'Every applicable standard is met',
  });
  current = await transition(decided, people.institutionAdmin, 'accept_decision');
  current = await transition(current, people.secretariatOfficer, 'publish');
  const certificateNumber = current.issuedCertificateNumber;
  if (certificateNumber === null) throw new Error('published without a certificate number');

  // Verify, as anyone: no token.
  const verification = ok(
    'verify',
    await api.GET('/api/v1/registry/{certificateNumber}', {
      params: { path: { certificateNumber } },
    }),
  );
  return { caseId: current.id, statuses, deadlinesWhenSubmitted, decided, certificateNumber, verification };
}
