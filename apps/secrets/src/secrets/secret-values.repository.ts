import { Injectable } from '@nestjs/common';
import type { Tx } from '@hangar/event-store';
import type { WrappedDataKey } from '../crypto/secret-crypto';
import { loadSql } from './sql-files';

const SQL = {
  insertDataKey: loadSql('insert-data-key'),
  selectDataKey: loadSql('select-data-key'),
  lockStaleDataKeys: loadSql('lock-stale-data-keys'),
  rewrapDataKey: loadSql('rewrap-data-key'),
  insertValue: loadSql('insert-value'),
  selectValues: loadSql('select-values'),
  deleteValues: loadSql('delete-values'),
};

/** A ciphertext row: the value of `name` as set in `version`. */
export interface StoredValue {
  name: string;
  version: number;
  ciphertext: Buffer;
}

export type ValueRef = { name: string; version: number };

/** The secrets service's own tables (ciphertext and wrapped data keys); always inside a caller's transaction. */
@Injectable()
export class SecretValuesRepository {
  async dataKey(tx: Tx, app: string): Promise<WrappedDataKey | undefined> {
    const [row] = await tx.query<{ wrapped_key: Buffer; key_id: string }>(SQL.selectDataKey, [app]);
    return row ? { wrapped: row.wrapped_key, keyId: row.key_id } : undefined;
  }

  /** Stores the app's first data key; returns the one that is stored (a concurrent writer's may win). */
  async createDataKey(tx: Tx, app: string, stored: WrappedDataKey): Promise<WrappedDataKey> {
    await tx.query(SQL.insertDataKey, [app, stored.wrapped, stored.keyId]);
    return (await this.dataKey(tx, app))!;
  }

  async insertValues(tx: Tx, app: string, rows: readonly StoredValue[]): Promise<void> {
    for (const row of rows) await tx.query(SQL.insertValue, [app, row.version, row.name, row.ciphertext]);
  }

  async values(tx: Tx, app: string, refs: readonly ValueRef[]): Promise<StoredValue[]> {
    if (refs.length === 0) return [];
    const rows = await tx.query<{ name: string; version: number; ciphertext: Buffer }>(SQL.selectValues, [app, refs.map((r) => r.name), refs.map((r) => r.version)]);
    return rows.map((r) => ({ name: r.name, version: Number(r.version), ciphertext: r.ciphertext }));
  }

  async deleteValues(tx: Tx, app: string, refs: readonly ValueRef[]): Promise<void> {
    if (refs.length === 0) return;
    await tx.query(SQL.deleteValues, [app, refs.map((r) => r.name), refs.map((r) => r.version)]);
  }

  /** Data keys wrapped by anything but `currentKeyId`, locked until the transaction ends. */
  async staleDataKeys(tx: Tx, currentKeyId: string): Promise<(WrappedDataKey & { app: string })[]> {
    const rows = await tx.query<{ app: string; wrapped_key: Buffer; key_id: string }>(SQL.lockStaleDataKeys, [currentKeyId]);
    return rows.map((r) => ({ app: r.app, wrapped: r.wrapped_key, keyId: r.key_id }));
  }

  async rewrap(tx: Tx, app: string, stored: WrappedDataKey, previousKeyId: string): Promise<void> {
    await tx.query(SQL.rewrapDataKey, [app, stored.wrapped, stored.keyId, previousKeyId]);
  }
}
