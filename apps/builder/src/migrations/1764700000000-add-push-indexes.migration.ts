import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Builder finds a repeated push by index, not by reading its repository's whole `registry-<host>/<repo>`
 * stream at every push (review M6): partial indexes over `ImagePushed` by dedupe key and by tag and digest.
 */
export class AddPushIndexes1764700000000 implements MigrationInterface {
  name = 'AddPushIndexes1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX events_image_pushed_dedupe_idx ON events (stream_id, (data->>'dedupeKey')) WHERE type = 'ImagePushed'`);
    await q.query(`CREATE INDEX events_image_pushed_content_idx ON events (stream_id, (data->>'tag'), (data->>'digest')) WHERE type = 'ImagePushed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_image_pushed_content_idx`);
    await q.query(`DROP INDEX events_image_pushed_dedupe_idx`);
  }
}
