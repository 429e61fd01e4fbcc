import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { isCalendarDate, ValidationError } from '@app/common';
import type { CaseAction } from './case-action';
import {
  INDICATOR_CODE,
  LEVEL_PATTERN,
  MAX_REOPENED_INDICATORS,
  type AppealResolutionData,
  type DecideData,
  parseAppealResolutionData,
  parseDecideData,
} from './decision-data';

/** An action that takes no data. */
export type NoPayload = Record<string, never>;

/** The typed `data` of each action, parsed once from the request by its table row's parser. */
export interface TransitionPayloads {
  submit: NoPayload;
  withdraw: NoPayload;
  accept: { leadRaterId: string };
  decline: NoPayload;
  start_onsite: NoPayload;
  issue_findings: { responseDueOn: string | null };
  refer_to_committee: NoPayload;
  return_to_team: NoPayload;
  decide: DecideData;
  accept_decision: NoPayload;
  appeal: NoPayload;
  resolve_appeal: AppealResolutionData;
  escalate_appeal: NoPayload;
  resolve_escalation: AppealResolutionData;
  close: NoPayload;
  publish: NoPayload;
  postpone: { until: string };
  convert_to_pre_assessment: NoPayload;
}

export interface PayloadInput {
  data: Record<string, unknown>;
  today: string;
}

/** A row's parser and the OpenAPI schema of the same payload. */
export interface PayloadParser<A extends CaseAction> {
  parse: (input: PayloadInput) => TransitionPayloads[A];
  schema: SchemaObject;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const noPayload: PayloadParser<never> = {
  // Data sent with an action that takes none is ignored, as it always was.
  parse: () => ({}) as never,
  schema: { type: 'object', description: 'No data', additionalProperties: false, properties: {} },
};

export function uuidField(data: Record<string, unknown>, field: string): string {
  const value = data[field];
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new ValidationError(`data.${field} must be a UUID`, [
      { field: `data.${field}`, message: 'must be a UUID' },
    ]);
  }
  return value.toLowerCase();
}

const DECISION_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['outcome', 'rationale'],
  properties: {
    outcome: { type: 'string', enum: ['certified', 'not_certified'] },
    level: {
      type: 'string',
      nullable: true,
      pattern: LEVEL_PATTERN.source,
      maxLength: 50,
      description: 'A level of a tiered edition, at most the earned one',
    },
    rationale: { type: 'string', maxLength: 8000 },
  },
};

const RESOLUTION: { parse: (input: PayloadInput) => AppealResolutionData; schema: SchemaObject } = {
  parse: ({ data }) => parseAppealResolutionData(data),
  schema: {
    type: 'object',
    required: ['result', 'rationale'],
    properties: {
      result: {
        type: 'string',
        enum: ['upheld', 'overturned'],
        description: 'upheld: the decision stands; overturned: it falls (the appeal succeeds)',
      },
      outcome: { type: 'string', enum: ['certified', 'not_certified'], description: 'When overturned' },
      level: {
        type: 'string',
        nullable: true,
        pattern: LEVEL_PATTERN.source,
        maxLength: 50,
        description: 'When overturned to certified',
      },
      reopenIndicators: {
        type: 'array',
        items: { type: 'string', pattern: INDICATOR_CODE.source, maxLength: 30 },
        minItems: 1,
        maxItems: MAX_REOPENED_INDICATORS,
        description:
          'When overturned because of ratings, instead of an outcome: the case returns to findings_issued ' +
          'with only these ratings open, for a new referral and decision',
      },
      rationale: { type: 'string', maxLength: 8000 },
    },
  },
};

export const PAYLOAD_PARSERS: { [A in CaseAction]: PayloadParser<A> } = {
  submit: noPayload,
  withdraw: noPayload,
  accept: {
    parse: ({ data }) => ({ leadRaterId: uuidField(data, 'leadRaterId') }),
    schema: {
      type: 'object',
      required: ['leadRaterId'],
      properties: {
        leadRaterId: {
          type: 'string',
          format: 'uuid',
          pattern: UUID.source,
          minLength: 36,
          maxLength: 36,
          description: 'An active rater of the body',
        },
      },
    },
  },
  decline: noPayload,
  start_onsite: noPayload,
  issue_findings: {
    parse: ({ data, today }) => {
      const value = data.responseDueOn;
      if (value === undefined || value === null) return { responseDueOn: null };
      if (!isCalendarDate(value) || value <= today) {
        throw new ValidationError('data.responseDueOn must be a future date written YYYY-MM-DD', [
          { field: 'data.responseDueOn', message: 'must be a date after today' },
        ]);
      }
      return { responseDueOn: value };
    },
    schema: {
      type: 'object',
      properties: {
        responseDueOn: {
          type: 'string',
          format: 'date',
          minLength: 10,
          maxLength: 10,
          description: 'Answer date for the institution; 20 working days when omitted',
        },
      },
    },
  },
  refer_to_committee: noPayload,
  return_to_team: noPayload,
  decide: {
    parse: ({ data }) => parseDecideData(data),
    schema: {
      ...DECISION_SCHEMA,
      required: [],
      description:
        "Optional: the deciding member's own vote (cast or changed before the tally). The decision is the " +
        "committee's majority once the quorum has voted (POST /cases/:id/votes)",
    },
  },
  accept_decision: noPayload,
  appeal: noPayload,
  resolve_appeal: RESOLUTION,
  escalate_appeal: noPayload,
  resolve_escalation: RESOLUTION,
  close: noPayload,
  publish: noPayload,
  postpone: {
    parse: ({ data, today }) => {
      const until = data.until;
      if (!isCalendarDate(until) || until <= today) {
        throw new ValidationError('data.until must be a future date written YYYY-MM-DD', [
          { field: 'data.until', message: 'must be a date after today' },
        ]);
      }
      return { until };
    },
    schema: {
      type: 'object',
      required: ['until'],
      properties: {
        until: {
          type: 'string',
          format: 'date',
          minLength: 10,
          maxLength: 10,
          description: 'When the engagement may resume',
        },
      },
      description: "The reason goes in the request's `reason`",
    },
  },
  convert_to_pre_assessment: noPayload,
};
