import { StaleVersionError } from '@app/common';
import type { EntityManager, EntityTarget } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** A row edited by its clients with optimistic locking: a version, bumped on every write. */
interface VersionedRow {
  id: string;
  version: number;
  updatedAt: Date;
}

/**
 * Writes `changes` to the row `id` only while it is still at `version` (the version the client read),
 * bumping its version and `updatedAt`; otherwise throws 409 `STALE_VERSION` naming `entityName`. The
 * conditional update, not TypeORM's version column, is what refuses a lost update.
 */
export async function updateAtVersion<Row extends VersionedRow>(
  manager: EntityManager,
  entity: EntityTarget<Row>,
  entityName: string,
  id: string,
  version: number,
  changes: QueryDeepPartialEntity<Row>,
): Promise<void> {
  const result = await manager
    .createQueryBuilder()
    .update(entity)
    .set({
      ...changes,
      version: () => 'version + 1',
      updatedAt: () => 'now()',
    })
    .where('id = :id AND version = :version', { id, version })
    .execute();
  if (result.affected !== 1) throw new StaleVersionError(entityName, version);
}
