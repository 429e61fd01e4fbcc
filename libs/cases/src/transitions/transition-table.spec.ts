import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor, Role } from '@app/common';
import type { CaseSnapshot } from '../case-access.service';
import { CASE_STATUSES, type CaseStatus } from '../case-status';
import { CASE_ACTIONS, type CaseAction } from './case-action';
import { availableActions, findRule, targetStatus, TRANSITIONS } from './transition-table';
import { transitionTableMarkdown } from './transition-table.markdown';

const INSTITUTION = 'institution-1';
const CERTIFIER = 'certifier-1';
const LEAD = 'lead-rater';

function actor(role: Role, organizationId: string, userId = `${role}-user`): Actor {
  const kind = role.startsWith('institution')
    ? 'institution'
    : role.startsWith('secretariat')
      ? 'secretariat'
      : 'certifier';
  return { kind: 'user', userId, name: role, role, organizationId, organizationKind: kind };
}

function snapshot(status: CaseStatus): CaseSnapshot {
  return {
    id: 'case-1',
    type: 'certification',
    status,
    version: 3,
    editionId: 'cps-2016',
    institutionId: INSTITUTION,
    certifierId: CERTIFIER,
    submittedAt: status === 'draft' ? null : new Date('2026-01-05T10:00:00Z'),
    team: { leadRaterId: LEAD, raterIds: ['rater-2'], committeeMemberIds: ['committee-1'] },
  };
}

/** The state machine of DOMAIN.md for the actions implemented so far: from → action → to. */
const EXPECTED: Record<CaseAction, { from: CaseStatus[]; to: CaseStatus; reason: boolean }> = {
  submit: { from: ['draft'], to: 'submitted', reason: false },
  withdraw: {
    from: ['draft', 'submitted', 'desk_review', 'onsite', 'findings_issued'],
    to: 'withdrawn',
    reason: true,
  },
  accept: { from: ['submitted'], to: 'desk_review', reason: false },
  decline: { from: ['submitted', 'desk_review'], to: 'declined', reason: true },
  start_onsite: { from: ['desk_review'], to: 'onsite', reason: false },
  issue_findings: { from: ['onsite'], to: 'findings_issued', reason: false },
  refer_to_committee: { from: ['findings_issued'], to: 'committee_review', reason: false },
  return_to_team: { from: ['committee_review'], to: 'findings_issued', reason: true },
  decide: { from: ['committee_review'], to: 'decided', reason: false },
  accept_decision: { from: ['decided'], to: 'decided', reason: false },
  appeal: { from: ['decided'], to: 'under_appeal', reason: true },
  resolve_appeal: { from: ['under_appeal'], to: 'decided', reason: false },
  escalate_appeal: { from: ['decided', 'under_appeal'], to: 'under_escalation', reason: true },
  resolve_escalation: { from: ['under_escalation'], to: 'decided', reason: false },
  postpone: { from: ['desk_review'], to: 'submitted', reason: true },
  convert_to_pre_assessment: { from: ['desk_review'], to: 'desk_review', reason: true },
  close: { from: ['decided'], to: 'closed', reason: false },
  publish: { from: ['decided'], to: 'closed', reason: false },
};

describe('TRANSITIONS', () => {
  it('holds exactly one row per action', () => {
    expect(TRANSITIONS.map((rule) => rule.action).sort()).toEqual([...CASE_ACTIONS].sort());
  });

  describe.each(CASE_ACTIONS)('%s', (action) => {
    const rule = findRule(action)!;

    it.each(CASE_STATUSES)(`is possible from %s exactly when DOMAIN.md says so`, (status) => {
      expect(rule.from.includes(status)).toBe(EXPECTED[action].from.includes(status));
    });

    it('leads to the documented status and asks for a reason when documented', () => {
      expect(rule.to).toBe(EXPECTED[action].to);
      expect(rule.isReasonRequired).toBe(EXPECTED[action].reason);
    });
  });

  it('returns the case to findings_issued only where a resolution reopens indicators', () => {
    const reopening = TRANSITIONS.filter((rule) => rule.reopensTo !== undefined);
    expect(reopening.map((rule) => [rule.action, rule.reopensTo])).toEqual([
      ['resolve_appeal', 'findings_issued'],
      ['resolve_escalation', 'findings_issued'],
    ]);
    const rule = findRule('resolve_escalation')!;
    expect(targetStatus(rule, { result: 'overturned', reopenIndicators: ['1.1.1'] })).toBe('findings_issued');
    expect(targetStatus(rule, { result: 'upheld', reopenIndicators: null })).toBe('decided');
  });

  it('leaves no action in the final states', () => {
    for (const status of ['closed', 'declined', 'withdrawn'] as CaseStatus[]) {
      expect(TRANSITIONS.filter((rule) => rule.from.includes(status))).toEqual([]);
    }
  });
});

describe('availableActions', () => {
  const cases: [string, Actor, CaseStatus, CaseAction[]][] = [
    [
      'the institution admin of a draft',
      actor('institution_admin', INSTITUTION),
      'draft',
      ['submit', 'withdraw'],
    ],
    ['an institution member of a draft', actor('institution_member', INSTITUTION), 'draft', []],
    ['another institution admin', actor('institution_admin', 'institution-2'), 'draft', []],
    [
      'the certifier admin of a submitted case',
      actor('certifier_admin', CERTIFIER),
      'submitted',
      ['accept', 'decline'],
    ],
    ['another certifier admin', actor('certifier_admin', 'certifier-2'), 'submitted', []],
    [
      'the institution admin of a submitted case',
      actor('institution_admin', INSTITUTION),
      'submitted',
      ['withdraw'],
    ],
    ['the lead rater in desk review', actor('rater', CERTIFIER, LEAD), 'desk_review', ['start_onsite']],
    [
      'the certifier admin in desk review',
      actor('certifier_admin', CERTIFIER),
      'desk_review',
      ['decline', 'postpone', 'convert_to_pre_assessment'],
    ],
    [
      'the institution admin under appeal',
      actor('institution_admin', INSTITUTION),
      'under_appeal',
      ['escalate_appeal'],
    ],
    [
      'the secretariat admin under escalation',
      actor('secretariat_admin', 'secretariat'),
      'under_escalation',
      ['resolve_escalation'],
    ],
    ['another rater of the team in desk review', actor('rater', CERTIFIER, 'rater-2'), 'desk_review', []],
    [
      'the committee member in desk review',
      actor('committee_member', CERTIFIER, 'committee-1'),
      'desk_review',
      [],
    ],
    ['the secretariat officer', actor('secretariat_officer', 'secretariat'), 'submitted', []],
    ['the institution admin once onsite', actor('institution_admin', INSTITUTION), 'onsite', ['withdraw']],
    ['the lead rater onsite', actor('rater', CERTIFIER, LEAD), 'onsite', ['issue_findings']],
    [
      'the lead rater once findings are issued',
      actor('rater', CERTIFIER, LEAD),
      'findings_issued',
      ['refer_to_committee'],
    ],
    [
      'the committee member in committee review',
      actor('committee_member', CERTIFIER, 'committee-1'),
      'committee_review',
      ['return_to_team', 'decide'],
    ],
    [
      'the institution admin of a decided case',
      actor('institution_admin', INSTITUTION),
      'decided',
      ['accept_decision', 'appeal', 'escalate_appeal'],
    ],
    [
      'the secretariat officer of a decided case',
      actor('secretariat_officer', 'secretariat'),
      'decided',
      ['close', 'publish'],
    ],
    [
      'the committee member under appeal',
      actor('committee_member', CERTIFIER, 'committee-1'),
      'under_appeal',
      ['resolve_appeal'],
    ],
    ['another rater of the team onsite', actor('rater', CERTIFIER, 'rater-2'), 'onsite', []],
    [
      'the institution admin in committee review',
      actor('institution_admin', INSTITUTION),
      'committee_review',
      [],
    ],
  ];

  it.each(cases)('lists for %s', (_label, caller, status, expected) => {
    expect(availableActions(caller, snapshot(status))).toEqual(expected);
  });
});

describe('README', () => {
  it('shows the table of actions, guards and effects as the code declares them', () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    const start = readme.indexOf('<!-- transition-table:start');
    const end = readme.indexOf('<!-- transition-table:end -->');
    // Compared cell by cell, so a Markdown formatter aligning the columns changes nothing.
    const rows = (table: string) =>
      table
        .split('\n')
        .filter((line) => line.trim().startsWith('|'))
        .map((line) => line.replace(/\s*\|\s*/g, '|').replace(/-{3,}/g, '---'));
    expect(start).toBeGreaterThan(-1);
    expect(rows(readme.slice(start, end))).toEqual(rows(transitionTableMarkdown()));
  });
});
