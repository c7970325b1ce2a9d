import type { Pool, PoolClient } from 'pg';

/** The pool, or one connection inside a transaction: repositories run on either. */
export type Queryable = Pool | PoolClient;
