import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fleet's tables, all in schema `fleet` (never Hangar's). The hot paths are by machine id and by app,
 * so every table that is listed per app is indexed by app; active machines have a partial index so a
 * listing never scans destroyed ones.
 */
export class CreateFleetSchema1764140000000 implements MigrationInterface {
  readonly name = 'CreateFleetSchema1764140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE fleet.apps (
        name       text PRIMARY KEY,
        org_slug   text NOT NULL DEFAULT 'personal',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE fleet.machines (
        id               text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{14}$'),
        app              text NOT NULL REFERENCES fleet.apps (name),
        name             text NOT NULL,
        region           text NOT NULL,
        state            text NOT NULL,
        instance_id      text NOT NULL,
        config           jsonb NOT NULL,
        cordoned         boolean NOT NULL DEFAULT false,
        run              jsonb,
        logs             jsonb NOT NULL DEFAULT '[]'::jsonb,
        state_entered_at timestamptz NOT NULL,
        pending_state    text,
        transition_at    timestamptz,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX machines_app_active_idx ON fleet.machines (app) WHERE state <> 'destroyed'`);
    await queryRunner.query(`
      CREATE TABLE fleet.machine_events (
        seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        app         text NOT NULL,
        machine_id  text NOT NULL REFERENCES fleet.machines (id),
        instance_id text NOT NULL,
        type        text NOT NULL,
        status      text NOT NULL,
        source      text NOT NULL,
        at          timestamptz NOT NULL,
        request     jsonb
      )`);
    await queryRunner.query(`CREATE INDEX machine_events_machine_idx ON fleet.machine_events (machine_id, seq)`);
    await queryRunner.query(`CREATE INDEX machine_events_app_idx ON fleet.machine_events (app, seq)`);
    await queryRunner.query(`
      CREATE TABLE fleet.leases (
        machine_id  text PRIMARY KEY REFERENCES fleet.machines (id),
        nonce       text NOT NULL,
        owner       text NOT NULL,
        description text NOT NULL DEFAULT '',
        version     text NOT NULL,
        expires_at  timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE fleet.volumes (
        id                  text PRIMARY KEY,
        app                 text NOT NULL REFERENCES fleet.apps (name),
        name                text NOT NULL,
        region              text NOT NULL,
        size_gb             integer NOT NULL,
        state               text NOT NULL DEFAULT 'created',
        attached_machine_id text REFERENCES fleet.machines (id),
        created_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX volumes_app_idx ON fleet.volumes (app)`);
    await queryRunner.query(`CREATE UNIQUE INDEX volumes_attached_idx ON fleet.volumes (attached_machine_id) WHERE attached_machine_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE fleet.faults (
        id         text PRIMARY KEY,
        match      jsonb NOT NULL,
        effect     text NOT NULL,
        delay_ms   integer NOT NULL DEFAULT 0,
        remaining  integer,
        code       integer,
        logs       jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE fleet.idempotency_keys (
        app        text NOT NULL,
        key        text NOT NULL,
        machine_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (app, key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['idempotency_keys', 'faults', 'volumes', 'leases', 'machine_events', 'machines', 'apps']) {
      await queryRunner.query(`DROP TABLE fleet.${table}`);
    }
  }
}
