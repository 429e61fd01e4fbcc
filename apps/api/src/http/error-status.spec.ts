import { ErrorCode } from '@app/common';
import { errorCodeOfSqlState, httpStatusOf } from './error-status';

describe(errorCodeOfSqlState.name, () => {
  it.each([
    ['40P01', 'deadlock', ErrorCode.ConcurrentUpdate, 409],
    ['40001', 'serialization failure', ErrorCode.ConcurrentUpdate, 409],
    ['55P03', 'lock timeout', ErrorCode.DatabaseBusy, 503],
    ['57014', 'statement timeout', ErrorCode.DatabaseBusy, 503],
    ['23505', 'unique violation', ErrorCode.AlreadyExists, 409],
    ['23503', 'foreign key violation', ErrorCode.ReferenceNotFound, 422],
    ['23514', 'check violation', ErrorCode.ValidationFailed, 400],
    ['22P02', 'invalid text representation', ErrorCode.ValidationFailed, 400],
    ['22003', 'numeric value out of range', ErrorCode.ValidationFailed, 400],
    ['22021', 'character not in repertoire', ErrorCode.ValidationFailed, 400],
    ['54000', 'program limit exceeded', ErrorCode.PayloadTooLarge, 413],
    ['54023', 'too many arguments', ErrorCode.PayloadTooLarge, 413],
  ])('answers %s (%s) as %s, HTTP %i', (sqlState, _name, code, status) => {
    expect(errorCodeOfSqlState(sqlState)).toBe(code);
    expect(httpStatusOf(code)).toBe(status);
  });

  it.each([
    ['42P01', 'undefined table: a bug, a logged 500'],
    ['XX000', 'internal error'],
    ['57P01', 'admin shutdown: the database is unavailable, not the client'],
    ['08006', 'connection failure'],
  ])('leaves %s (%s) to the other branches', (sqlState) => {
    expect(errorCodeOfSqlState(sqlState)).toBeUndefined();
  });
});
