import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['an admin shutdown (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    [
      'a crash shutdown (57P02)',
      withCode('terminating connection due to crash of another server process', '57P02'),
    ],
    [
      'a server that cannot take connections now (57P03)',
      withCode('the database system is starting up', '57P03'),
    ],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['a pool that gave no connection in time', new Error('timeout exceeded when trying to connect')],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    [
      "TypeORM's wrapper of a lost connection",
      new QueryFailedError(
        'SELECT 1',
        [],
        withCode('terminating connection due to administrator command', '57P01'),
      ),
    ],
    [
      'a cause chain',
      Object.assign(new Error('lookup failed'), { cause: withCode('refused', 'ECONNREFUSED') }),
    ],
  ])('is true for %s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key', '23505'))],
    ['a deadlock', new QueryFailedError('UPDATE', [], withCode('deadlock detected', '40P01'))],
    ['a statement timeout', new QueryFailedError('SELECT', [], withCode('canceling statement', '57014'))],
    ['invalid input', new QueryFailedError('SELECT', [], withCode('invalid input syntax', '22P02'))],
    ['a plain error', new Error('jwt expired')],
    ['nothing', undefined],
  ])('is false for %s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
