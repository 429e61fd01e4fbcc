/** The largest optimistic-lock version a request may name: versions are PostgreSQL `integer` columns. */
export const MAX_RECORD_VERSION = 2_147_483_647;
