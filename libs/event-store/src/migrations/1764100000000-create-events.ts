import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `events` and `streams` tables (DESIGN §3). */
export class CreateEvents1764100000000 implements MigrationInterface {
  name = 'CreateEvents1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id text NOT NULL,
        stream_position bigint NOT NULL,
        event_id uuid NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        hash text NOT NULL,
        CONSTRAINT events_event_id_key UNIQUE (event_id),
        CONSTRAINT events_stream_position_key UNIQUE (stream_id, stream_position),
        CONSTRAINT events_stream_position_check CHECK (stream_position >= 1)
      )`);
    // readAll walks this order; see sql/read-all.sql.
    await q.query(`CREATE INDEX events_transaction_order_idx ON events (transaction_id, global_position)`);
    await q.query(`CREATE INDEX events_type_idx ON events (type)`);
    // Audit queries filter by app (DESIGN §7.2 GET /v1/audit).
    await q.query(`CREATE INDEX events_app_idx ON events ((data->>'app'), global_position)`);
    await q.query(`
      CREATE TABLE streams (
        stream_id text PRIMARY KEY,
        position bigint NOT NULL,
        head_hash text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE streams`);
    await q.query(`DROP TABLE events`);
  }
}
