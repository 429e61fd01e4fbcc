import type { PoolClient } from 'pg';
import { pgBossExecutor } from './job-queue';

function fakeClient(result: unknown, failure?: Error) {
  const calls: string[] = [];
  const client = {
    query: (text: string) => {
      calls.push(text);
      return failure && text !== 'ROLLBACK' ? Promise.reject(failure) : Promise.resolve(result);
    },
    release: () => calls.push('release'),
  } as unknown as PoolClient;
  return { client, calls };
}

describe('the pg-boss statement executor', () => {
  it('runs each statement on a pooled connection and gives it back', async () => {
    const { client, calls } = fakeClient({ rows: [{ id: 1 }] });
    const db = pgBossExecutor(() => Promise.resolve(client));
    await expect(db.executeSql('SELECT 1', [])).resolves.toEqual({ rows: [{ id: 1 }] });
    expect(calls).toEqual(['SELECT 1', 'release']);
  });

  it('rolls a failed multi-statement text back before the connection goes back', async () => {
    const { client, calls } = fakeClient(undefined, new Error('boom'));
    const db = pgBossExecutor(() => Promise.resolve(client));
    await expect(db.executeSql('BEGIN; SELECT 1; COMMIT', [])).rejects.toThrow('boom');
    expect(calls).toEqual(['BEGIN; SELECT 1; COMMIT', 'ROLLBACK', 'release']);
  });

  it('sends nothing once the queue is shut down, so a late worker loop never meets a closed pool', async () => {
    let isShutDown = false;
    const acquire = jest.fn(() =>
      Promise.reject(new Error('Cannot use a pool after calling end on the pool')),
    );
    const db = pgBossExecutor(acquire, () => isShutDown);
    await expect(db.executeSql('SELECT 1', [])).rejects.toThrow('after calling end');
    isShutDown = true;
    await expect(db.executeSql('SELECT 1', [])).resolves.toBeUndefined();
    expect(acquire).toHaveBeenCalledTimes(1);
  });
});
