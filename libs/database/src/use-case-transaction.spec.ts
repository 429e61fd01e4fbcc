import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { runUseCaseTransaction } from './use-case-transaction';

function failure(code: string): QueryFailedError {
  return new QueryFailedError('UPDATE …', [], Object.assign(new Error(`pg ${code}`), { code }));
}

/** A data source whose transactions fail with the given errors first, then succeed. */
function dataSourceFailing(...errors: Error[]): { dataSource: DataSource; runs: () => number } {
  let runs = 0;
  const dataSource = {
    transaction: async <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> => {
      runs += 1;
      const error = errors.shift();
      if (error) throw error;
      return work({} as EntityManager);
    },
  } as unknown as DataSource;
  return { dataSource, runs: () => runs };
}

describe(runUseCaseTransaction.name, () => {
  it('runs the whole transaction again after a deadlock and a serialization failure', async () => {
    const { dataSource, runs } = dataSourceFailing(failure('40P01'), failure('40001'));
    await expect(runUseCaseTransaction(dataSource, () => Promise.resolve('done'))).resolves.toBe('done');
    expect(runs()).toBe(3);
  });

  it('rethrows the deadlock once the attempts are spent', async () => {
    const { dataSource, runs } = dataSourceFailing(...Array.from({ length: 5 }, () => failure('40P01')));
    await expect(
      runUseCaseTransaction(dataSource, () => Promise.resolve('done'), { attempts: 3, baseDelayMs: 1 }),
    ).rejects.toMatchObject({ driverError: { code: '40P01' } });
    expect(runs()).toBe(3);
  });

  it('rethrows any other error at once', async () => {
    const { dataSource, runs } = dataSourceFailing(failure('23505'));
    await expect(runUseCaseTransaction(dataSource, () => Promise.resolve('done'))).rejects.toBeInstanceOf(
      QueryFailedError,
    );
    expect(runs()).toBe(1);
  });
});
