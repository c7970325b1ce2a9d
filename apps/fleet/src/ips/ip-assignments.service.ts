import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { IpAssignment } from '@hangar/machines-api';
import { FLEET_POOL } from '../fleet.tokens';
import { FleetErrorCodes, fleetError } from '../machines/domain/fleet-errors';
import { findApp } from '../apps/app.repository';
import type { AssignIpDto } from './dto/assign-ip.dto';

/** Every app's shared IPv4, as on Fly.io, where one anycast address fronts many apps (TEST-NET-3). */
export const FLEET_SHARED_V4 = '203.0.113.1';

interface Row {
  ip: string;
  kind: string;
  region: string;
  service_name: string;
  created_at: Date;
}

/**
 * Fly's IP assignments API as fleet serves it (fly-go `flaps_ip_assignments.go`), so the `fly`
 * provider's `ips` path runs end to end locally. Dedicated addresses come from ranges that route
 * nowhere: IPv4 from 198.18.0.0/15 (benchmarking), IPv6 from 2001:db8:f1ee::/48, private IPv6 from
 * fdaa:0:f1ee::/48. Public addresses are in region `global`, as Fly's anycast ones are.
 */
@Injectable()
export class IpAssignmentsService {
  constructor(@Inject(FLEET_POOL) private readonly pool: Pool) {}

  async list(app: string): Promise<{ ips: IpAssignment[] }> {
    await this.requireApp(app);
    const { rows } = await this.pool.query<Row>(`SELECT * FROM fleet.ip_assignments WHERE app = $1 ORDER BY created_at, ip`, [app]);
    return { ips: rows.map(toAssignment) };
  }

  /** A second `shared_v4` for the same app answers with the one it has. */
  async assign(app: string, body: AssignIpDto): Promise<IpAssignment> {
    await this.requireApp(app);
    if (body.type === 'shared_v4') {
      const { rows } = await this.pool.query<Row>(
        `INSERT INTO fleet.ip_assignments (app, ip, kind, region) VALUES ($1, $2, 'shared_v4', 'global')
         ON CONFLICT (app, ip) DO UPDATE SET kind = EXCLUDED.kind RETURNING *`,
        [app, FLEET_SHARED_V4],
      );
      return toAssignment(rows[0]!);
    }
    const { rows: seq } = await this.pool.query<{ n: string }>(`SELECT nextval('fleet.ip_assignment_seq') AS n`);
    const n = BigInt(seq[0]!.n);
    const region = body.type === 'private_v6' ? (body.region || 'local') : 'global';
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO fleet.ip_assignments (app, ip, kind, region, service_name) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [app, addressFor(body.type, n), body.type, region, body.service_name ?? ''],
    );
    return toAssignment(rows[0]!);
  }

  async remove(app: string, ip: string): Promise<void> {
    await this.requireApp(app);
    const { rowCount } = await this.pool.query(`DELETE FROM fleet.ip_assignments WHERE app = $1 AND ip = $2`, [app, ip.toLowerCase()]);
    if (!rowCount) throw fleetError(FleetErrorCodes.NOT_FOUND, `ip ${ip} is not assigned to app ${app}`);
  }

  private async requireApp(app: string): Promise<void> {
    if (!(await findApp(this.pool, app))) throw fleetError(FleetErrorCodes.NOT_FOUND, `app ${app} not found`);
  }
}

function addressFor(kind: 'v4' | 'v6' | 'private_v6', n: bigint): string {
  if (kind === 'v4') {
    const value = (198n << 24n) + (18n << 16n) + (n % (1n << 17n));
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  }
  // Written as Fly.io would write it, in canonical form (RFC 5952): no leading zero group.
  const high = (n >> 16n) & 0xffffn;
  const low = high === 0n ? (n & 0xffffn).toString(16) : `${high.toString(16)}:${(n & 0xffffn).toString(16)}`;
  return kind === 'v6' ? `2001:db8:f1ee::${low}` : `fdaa:0:f1ee::${low}`;
}

function toAssignment(row: Row): IpAssignment {
  return { ip: row.ip, region: row.region, service_name: row.service_name, shared: row.kind === 'shared_v4', created_at: row.created_at.toISOString() };
}
