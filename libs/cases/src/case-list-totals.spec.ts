import type { InsertEvent, QueryRunner, TransactionCommitEvent, UpdateEvent } from 'typeorm';
import { CaseListTotalsInvalidator } from './case-list-change.listener';
import { CaseListTotals } from './case-list-totals';
import { CaseTeamMemberEntity } from './entities/case-team-member.entity';
import { CertificationCaseEntity } from './entities/certification-case.entity';

describe(CaseListTotals.name, () => {
  let now: number;
  const totals = (maxEntries = 10) => new CaseListTotals(60_000, maxEntries, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('answers a kept total until its time to live has passed', () => {
    const kept = totals();
    kept.keep('desk_review', 4546, kept.begin());
    now += 59_999;
    expect(kept.get('desk_review')).toBe(4546);
    expect(kept.get('onsite')).toBeUndefined();
    now += 1;
    expect(kept.get('desk_review')).toBeUndefined();
    expect(kept.size).toBe(0);
  });

  it('drops every total on clear', () => {
    const kept = totals();
    kept.keep('a', 1, kept.begin());
    kept.keep('b', 2, kept.begin());
    kept.clear();
    expect([kept.get('a'), kept.get('b'), kept.size]).toEqual([undefined, undefined, 0]);
  });

  it('does not keep a total counted by a statement that began before a clear', () => {
    const kept = totals();
    const before = kept.begin();
    kept.clear();
    kept.keep('a', 1, before);
    expect(kept.get('a')).toBeUndefined();
    const after = kept.begin();
    kept.keep('a', 2, after);
    expect(kept.get('a')).toBe(2);
  });

  it('makes room by dropping the oldest totals beyond its bound', () => {
    const kept = totals(2);
    for (const [key, total] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const) {
      kept.keep(key, total, kept.begin());
    }
    expect([kept.get('a'), kept.get('b'), kept.get('c'), kept.size]).toEqual([undefined, 2, 3, 2]);
  });
});

describe(CaseListTotalsInvalidator.name, () => {
  const setUp = () => {
    const totals = new CaseListTotals();
    const clear = jest.spyOn(totals, 'clear');
    const queryRunner = { isTransactionActive: true, data: {} } as unknown as QueryRunner & {
      isTransactionActive: boolean;
    };
    return { invalidator: new CaseListTotalsInvalidator(totals), clear, queryRunner };
  };
  const event = (queryRunner: QueryRunner, target: unknown) =>
    ({ queryRunner, metadata: { target } }) as unknown as UpdateEvent<unknown> & InsertEvent<unknown>;
  const commit = (queryRunner: QueryRunner) => ({ queryRunner }) as TransactionCommitEvent;

  it('clears the totals when a transaction that moved a case commits, not before', () => {
    const { invalidator, clear, queryRunner } = setUp();
    invalidator.afterUpdate(event(queryRunner, CertificationCaseEntity));
    invalidator.afterInsert(event(queryRunner, CaseTeamMemberEntity));
    expect(clear).not.toHaveBeenCalled();
    queryRunner.isTransactionActive = false;
    invalidator.afterTransactionCommit(commit(queryRunner));
    expect(clear).toHaveBeenCalledTimes(1);
  });

  it('clears nothing for a rolled-back change or another entity', () => {
    const { invalidator, clear, queryRunner } = setUp();
    invalidator.afterUpdate(event(queryRunner, class Other {}));
    queryRunner.isTransactionActive = false;
    invalidator.afterTransactionCommit(commit(queryRunner));
    queryRunner.isTransactionActive = true;
    invalidator.afterInsert(event(queryRunner, CertificationCaseEntity));
    queryRunner.isTransactionActive = false;
    invalidator.afterTransactionRollback(commit(queryRunner));
    invalidator.afterTransactionCommit(commit(queryRunner));
    expect(clear).not.toHaveBeenCalled();
  });
});
