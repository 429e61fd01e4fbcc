import { createHash } from 'node:crypto';
import { canonicalJson } from '@app/common';
import { canonicalAuditEventJson, hashAuditEvent, type HashedEventFields } from './audit-hash.util';

/** The hash as it was first defined: SHA-256 of canonicalJson over the whole event object. */
function referenceHash(event: HashedEventFields): string {
  const json = canonicalJson({ ...event, occurredAt: event.occurredAt.toISOString() });
  return createHash('sha256').update(json).digest('hex');
}

const base: HashedEventFields = {
  id: '0b7c5d8e-3f0a-4c1e-9d2b-6a4f8e1c2b3d',
  occurredAt: new Date('2026-11-30T13:50:02.291Z'),
  actorId: '6f1e2d3c-4b5a-4978-8877-665544332211',
  actorName: 'Secretariat admin',
  entityType: 'case',
  entityId: 'a1b2c3d4-e5f6-4789-9abc-def012345678',
  caseId: 'a1b2c3d4-e5f6-4789-9abc-def012345678',
  action: 'case.submitted',
  fromStatus: 'draft',
  toStatus: 'submitted',
  reason: 'Ready',
  data: { count: 3, nested: { z: [1, 2.5, 'x'], a: null }, B: true },
  previousHash: 'f'.repeat(64),
};

describe(canonicalAuditEventJson.name, () => {
  it.each<[string, Partial<HashedEventFields>]>([
    ['a full event', {}],
    [
      'the first event, nulls everywhere',
      {
        actorId: null,
        caseId: null,
        fromStatus: null,
        toStatus: null,
        reason: null,
        previousHash: null,
        data: {},
      },
    ],
    [
      'quotes, backslashes and control characters',
      { reason: 'a "quoted"\\ line\nnext\ttab\u0000\u001f\u007f', actorName: '</script>' },
    ],
    [
      'non-ASCII text and keys',
      { actorName: 'Zoë Ñúñez 李 😀', data: { é: 1, e: 2, E: 3, '😀': 4, '\uff61': 5, _: [{ b: 1, a: 2 }] } },
    ],
    [
      'numbers as JSON writes them',
      { data: { big: 1e21, small: 1e-7, negative: -0, fraction: 0.1 + 0.2, int: 9007199254740991 } },
    ],
    ['a date before 1970', { occurredAt: new Date('1969-07-20T20:17:40.000Z') }],
  ])('hashes %s exactly as canonicalJson over the whole event does', (_, change) => {
    const event = { ...base, ...change };

    expect(hashAuditEvent(event)).toBe(referenceHash(event));
  });

  it('changes with every field the hash covers', () => {
    const hashes = new Set(
      [
        base,
        { ...base, id: base.id.replace('0b', '0c') },
        { ...base, occurredAt: new Date(base.occurredAt.getTime() + 1) },
        { ...base, actorId: null },
        { ...base, actorName: 'x' },
        { ...base, entityType: 'organization' },
        { ...base, entityId: 'x' },
        { ...base, caseId: null },
        { ...base, action: 'case.withdrawn' },
        { ...base, fromStatus: null },
        { ...base, toStatus: null },
        { ...base, reason: null },
        { ...base, data: { ...base.data, count: 4 } },
        { ...base, previousHash: null },
      ].map(hashAuditEvent),
    );

    expect(hashes.size).toBe(14);
  });
});
