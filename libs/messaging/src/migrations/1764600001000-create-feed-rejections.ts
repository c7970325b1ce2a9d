import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feed messages a consumer refused because they are not what the store holds (DESIGN §4 "Trust"):
 * counted per consumer and reason, with the last one's subject and claimed event id, never the payload.
 */
export class CreateFeedRejections1764600001000 implements MigrationInterface {
  name = 'CreateFeedRejections1764600001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE feed_rejections (
        consumer text NOT NULL,
        kind text NOT NULL,
        count bigint NOT NULL,
        last_subject text NOT NULL,
        last_event_id uuid,
        last_at timestamptz NOT NULL,
        PRIMARY KEY (consumer, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE feed_rejections`);
  }
}
