import { ErrorCode } from '@app/common';
import type { CertificationCaseEntity } from '../entities/certification-case.entity';
import type { ImpartialityService } from '../impartiality.service';
import { assertEditionOpenFor, CaseGuards } from './case-guards';
import type { TransitionContext } from './transition-context';

describe('assertEditionOpenFor', () => {
  const edition = (openForNewCasesUntil: string | null, retiredOn: string | null = null) => ({
    id: 'cps-2016',
    openForNewCasesUntil,
    retiredOn,
  });
  const codeOf = (run: () => void): string | undefined => {
    try {
      run();
      return undefined;
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };

  it('refuses a new initial certification after the closing date', () => {
    expect(codeOf(() => assertEditionOpenFor(edition('2021-04-30'), 'certification', '2021-05-01'))).toBe(
      ErrorCode.EditionClosed,
    );
  });

  it('accepts one on the closing date itself and on an edition without one', () => {
    expect(
      codeOf(() => assertEditionOpenFor(edition('2021-04-30'), 'certification', '2021-04-30')),
    ).toBeUndefined();
    expect(codeOf(() => assertEditionOpenFor(edition(null), 'certification', '2030-01-01'))).toBeUndefined();
  });

  it('refuses a new initial certification on a retired edition', () => {
    expect(
      codeOf(() => assertEditionOpenFor(edition(null, '2026-01-01'), 'certification', '2026-01-01')),
    ).toBe(ErrorCode.EditionClosed);
  });

  it.each(['check_in', 'renewal'] as const)('accepts a %s of a closed edition', (type) => {
    expect(
      codeOf(() => assertEditionOpenFor(edition('2021-04-30', '2022-01-01'), type, '2026-11-30')),
    ).toBeUndefined();
  });
});

describe(CaseGuards.name, () => {
  describe('escalation_window_over_or_waived', () => {
    const guard = new CaseGuards({} as ImpartialityService).get('escalation_window_over_or_waived');
    const codeAt = async (
      today: string,
      row: { escalationDueOn: string | null; decisionAcceptedAt?: Date | null },
    ): Promise<string | undefined> => {
      const context = {
        today,
        caseRow: { decisionAcceptedAt: null, ...row } as CertificationCaseEntity,
      } as TransitionContext;
      try {
        await guard(context);
        return undefined;
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };

    it('refuses while the resolution of an appeal may still be escalated, its last day included', async () => {
      expect(await codeAt('2026-12-01', { escalationDueOn: '2026-12-14' })).toBe(
        ErrorCode.EscalationWindowOpen,
      );
      expect(await codeAt('2026-12-14', { escalationDueOn: '2026-12-14' })).toBe(
        ErrorCode.EscalationWindowOpen,
      );
    });

    it('lets the case go on once the window has passed, without one, or once the decision was accepted', async () => {
      expect(await codeAt('2026-12-15', { escalationDueOn: '2026-12-14' })).toBeUndefined();
      expect(await codeAt('2026-12-01', { escalationDueOn: null })).toBeUndefined();
      expect(
        await codeAt('2026-12-01', { escalationDueOn: '2026-12-14', decisionAcceptedAt: new Date() }),
      ).toBeUndefined();
    });
  });
});
