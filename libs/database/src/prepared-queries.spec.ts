import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseConnection } from './database-connection';
import { PreparedQueries } from './prepared-queries';

function setUp(isEmbedded: boolean) {
  const sent: unknown[] = [];
  const manager = {
    query: (query: unknown, parameters: unknown[]) => {
      sent.push({ query, parameters });
      return Promise.resolve([]);
    },
  } as unknown as EntityManager;
  const prepared = new PreparedQueries(
    { manager } as unknown as DataSource,
    {
      isEmbedded,
    } as unknown as DatabaseConnection,
  );
  return { prepared, sent, manager };
}

describe('PreparedQueries', () => {
  it('names each text by its hash on a PostgreSQL server: one name per text, the same every time', async () => {
    const { prepared, sent } = setUp(false);
    await prepared.query('SELECT $1::int', [1]);
    await prepared.query('SELECT $1::int', [2]);
    await prepared.query('SELECT $1::text', ['a']);
    const [first, again, other] = sent as { query: { name: string; text: string } }[];
    expect(first.query).toEqual({
      name: expect.stringMatching(/^cpc_[0-9a-f]{32}$/),
      text: 'SELECT $1::int',
    });
    expect(again.query.name).toBe(first.query.name);
    expect(other.query.name).not.toBe(first.query.name);
    expect(sent.map((call) => (call as { parameters: unknown[] }).parameters)).toEqual([[1], [2], ['a']]);
  });

  it('sends plain statements on the embedded database, whose one session every connection shares', async () => {
    const { prepared, sent } = setUp(true);
    await prepared.query('SELECT $1::int', [1]);
    expect(sent).toEqual([{ query: 'SELECT $1::int', parameters: [1] }]);
  });

  it("runs on the caller's transaction when given its manager", async () => {
    const { prepared, sent } = setUp(false);
    const inTransaction: unknown[] = [];
    const manager = {
      query: (query: unknown) => Promise.resolve(inTransaction.push(query)),
    } as unknown as EntityManager;
    await prepared.query('SELECT 1', [], manager);
    expect(sent).toEqual([]);
    expect(inTransaction).toHaveLength(1);
  });
});
