import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fly's IP assignments (`/v1/apps/:app/ip_assignments`): addresses fleet hands an app as Fly.io
 * would, from documentation ranges that route nowhere. `seq` numbers dedicated addresses per family.
 */
export class FleetIpAssignments1767000000000 implements MigrationInterface {
  readonly name = 'FleetIpAssignments1767000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE fleet.ip_assignment_seq`);
    await queryRunner.query(`
      CREATE TABLE fleet.ip_assignments (
        app          text NOT NULL REFERENCES fleet.apps (name),
        ip           text NOT NULL,
        kind         text NOT NULL CHECK (kind IN ('v4', 'shared_v4', 'v6', 'private_v6')),
        region       text NOT NULL,
        service_name text NOT NULL DEFAULT '',
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (app, ip)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE fleet.ip_assignments`);
    await queryRunner.query(`DROP SEQUENCE fleet.ip_assignment_seq`);
  }
}
