import type {
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/**
 * A TypeORM subscriber that clears an in-process cache once a change it was told of commits (at once
 * outside a transaction): after the commit, so that no reader in between keeps what is about to change,
 * and not at all when the transaction rolls back. Subclasses say which entity events are changes and call
 * `changed`. Writes by other processes or by raw SQL reach such caches through PostgreSQL notifications.
 */
export abstract class ClearOnCommitSubscriber implements EntitySubscriberInterface {
  /**
   * @param flag the key marking a pending change on the query runner's `data`, one per cache
   * @param clear what a committed change does
   */
  protected constructor(
    private readonly flag: string,
    private readonly clear: () => void,
  ) {}

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint is not yet a commit: wait for the outermost transaction.
    if (event.queryRunner.isTransactionActive || !event.queryRunner.data[this.flag]) return;
    delete event.queryRunner.data[this.flag];
    this.clear();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) delete event.queryRunner.data[this.flag];
  }

  /** A change was written through `queryRunner`: cleared at its transaction's commit, or now. */
  protected changed(queryRunner: QueryRunner): void {
    if (queryRunner.isTransactionActive) queryRunner.data[this.flag] = true;
    else this.clear();
  }
}
