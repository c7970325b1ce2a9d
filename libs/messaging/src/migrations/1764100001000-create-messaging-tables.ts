import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Relay checkpoints and the consumers' processed and poison messages (DESIGN §4). */
export class CreateMessagingTables1764100001000 implements MigrationInterface {
  name = 'CreateMessagingTables1764100001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE relay_checkpoints (
        name text PRIMARY KEY,
        transaction_id xid8 NOT NULL,
        global_position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE processed_messages (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await q.query(`
      CREATE TABLE poison_messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        consumer text NOT NULL,
        event_id uuid,
        subject text NOT NULL,
        stream_sequence bigint,
        delivery_count integer NOT NULL,
        reason text NOT NULL,
        payload text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX poison_messages_consumer_idx ON poison_messages (consumer, recorded_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE poison_messages`);
    await q.query(`DROP TABLE processed_messages`);
    await q.query(`DROP TABLE relay_checkpoints`);
  }
}
