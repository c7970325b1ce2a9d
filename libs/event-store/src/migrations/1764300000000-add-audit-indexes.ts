import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for audit queries (DESIGN §7.2 `GET /v1/audit`, sql/query-events.sql). Each filter's
 * column leads and the global order `(transaction_id, global_position)` follows, so a filtered
 * page is one index range scan in result order. Release and machine ids are on a minority of
 * events, but their indexes are not partial: ANALYZE keeps statistics on a full expression index,
 * and without them the planner guesses 0.5 % of the table matches an id and walks the global order
 * instead. The two single-column indexes of the first migration are prefixes of the new ones and go.
 */
export class AddAuditIndexes1764300000000 implements MigrationInterface {
  name = 'AddAuditIndexes1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX events_audit_app_idx ON events ((data->>'app'), transaction_id, global_position)`);
    await q.query(`CREATE INDEX events_audit_type_idx ON events (type, transaction_id, global_position)`);
    await q.query(`CREATE INDEX events_audit_actor_idx ON events ((metadata->>'actor'), transaction_id, global_position)`);
    await q.query(`CREATE INDEX events_audit_release_idx ON events ((data->>'releaseId'), transaction_id, global_position)`);
    await q.query(`CREATE INDEX events_audit_machine_idx ON events ((data->>'machineId'), transaction_id, global_position)`);
    await q.query(`CREATE INDEX events_recorded_at_idx ON events (recorded_at)`);
    await q.query(`DROP INDEX IF EXISTS events_app_idx`);
    await q.query(`DROP INDEX IF EXISTS events_type_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX events_app_idx ON events ((data->>'app'), global_position)`);
    await q.query(`CREATE INDEX events_type_idx ON events (type)`);
    for (const name of ['app', 'type', 'actor', 'release', 'machine']) await q.query(`DROP INDEX events_audit_${name}_idx`);
    await q.query(`DROP INDEX events_recorded_at_idx`);
  }
}
