import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { DatabaseConnection } from './database-connection';
import { DATABASE_CONNECTION } from './database.tokens';

/**
 * The hot reads as named prepared statements: on a PostgreSQL server each pooled connection parses and
 * plans such a statement once and then only binds and executes it (node-postgres keeps the names per
 * connection), where a plain statement is planned again on every call. The name is a hash of the text,
 * so one name never stands for two texts. They still go through TypeORM's query runner, so logging,
 * statement counting and error mapping are unchanged.
 *
 * On the embedded PGlite every pool connection shares one session, whose prepared statements outlive the
 * connection that made them (a new connection would prepare the same name again and fail): there the
 * statements run as plain ones. A transaction-mode pooler between the API and PostgreSQL (PgBouncer)
 * needs `max_prepared_statements` set for named statements.
 */
@Injectable()
export class PreparedQueries {
  private readonly names = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
  ) {}

  query<T>(
    text: string,
    parameters: unknown[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<T> {
    if (this.connection.isEmbedded) return manager.query<T>(text, parameters);
    // node-postgres takes `{ name, text }` where TypeORM passes the query text through.
    return manager.query<T>({ name: this.nameOf(text), text } as unknown as string, parameters);
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `cpc_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
      // The texts are the routes' own SQL (a handful of filter combinations each): a bounded set.
      this.names.set(text, name);
    }
    return name;
  }
}
