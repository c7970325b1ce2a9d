import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { LEASE_NONCE_HEADER, type Machine, type MachineState } from '@hangar/machines-api';
import { FleetErrorCodes, fleetError } from './domain/fleet-errors';
import { flyBody, intQuery } from '../http/validation';
import { LaunchMachineDto } from './dto/launch-machine.dto';
import { StopRequestDto, stopTimeoutMs } from './dto/stop-request.dto';
import { MachineCommandsService } from './machine-commands.service';
import { MachineQueriesService } from './machine-queries.service';

const WAIT_STATES: readonly MachineState[] = ['started', 'stopped', 'suspended' as MachineState, 'destroyed'];
/** How long a restart waits for its stop beyond the stop's own timeout, in seconds. */
const RESTART_STOP_WAIT_SEC = 30;

/** `/v1/apps/:app/machines`: the Fly Machines API subset Hangar uses (DESIGN §7.5). */
@Controller('v1/apps/:app/machines')
export class MachinesController {
  constructor(
    private readonly commands: MachineCommandsService,
    private readonly queries: MachineQueriesService,
  ) {}

  @Get()
  list(@Param('app') app: string): Promise<Machine[]> {
    return this.queries.list(app);
  }

  @Post()
  @HttpCode(200)
  create(@Param('app') app: string, @Body(flyBody) body: LaunchMachineDto, @Headers('idempotency-key') key?: string): Promise<Machine> {
    return this.commands.create(app, body, key || undefined);
  }

  @Get(':id')
  get(@Param('app') app: string, @Param('id') id: string): Promise<Machine> {
    return this.queries.get(app, id);
  }

  @Post(':id')
  @HttpCode(200)
  update(@Param('app') app: string, @Param('id') id: string, @Body(flyBody) body: LaunchMachineDto, @Headers(LEASE_NONCE_HEADER) nonce?: string): Promise<Machine> {
    return this.commands.update(app, id, body, nonce);
  }

  /** `?kill=true` (or `force=true`) destroys a running machine too. */
  @Delete(':id')
  async destroy(
    @Param('app') app: string,
    @Param('id') id: string,
    @Query('kill') kill?: string,
    @Query('force') force?: string,
    @Headers(LEASE_NONCE_HEADER) nonce?: string,
  ): Promise<{ ok: true }> {
    await this.commands.destroy(app, id, kill === 'true' || force === 'true', nonce);
    return { ok: true };
  }

  @Post(':id/start')
  @HttpCode(200)
  start(@Param('app') app: string, @Param('id') id: string): Promise<{ previous_state: MachineState }> {
    return this.commands.start(app, id);
  }

  /** Optional body `{ signal?, timeout? }` (Fly's `StopRequest`). */
  @Post(':id/stop')
  @HttpCode(200)
  async stop(@Param('app') app: string, @Param('id') id: string, @Body(flyBody) body: StopRequestDto, @Headers(LEASE_NONCE_HEADER) nonce?: string): Promise<{ ok: true }> {
    await this.commands.stop(app, id, nonce, { signal: body.signal, timeout: body.timeout });
    return { ok: true };
  }

  /**
   * `?signal=&timeout=` as flyctl sends them: a stop with those, then a start of the same instance
   * once it has stopped. Takes the lease like a stop; answers once the machine is booting again.
   */
  @Post(':id/restart')
  @HttpCode(200)
  async restart(
    @Param('app') app: string,
    @Param('id') id: string,
    @Query(flyBody) query: StopRequestDto,
    @Headers(LEASE_NONCE_HEADER) nonce?: string,
  ): Promise<{ ok: true }> {
    await this.commands.stop(app, id, nonce, { signal: query.signal, timeout: query.timeout });
    const stopSec = Math.ceil((stopTimeoutMs(query.timeout) ?? 0) / 1000);
    await this.queries.wait(app, id, 'stopped', undefined, RESTART_STOP_WAIT_SEC + stopSec);
    await this.commands.start(app, id);
    return { ok: true };
  }

  @Post(':id/cordon')
  @HttpCode(200)
  async cordon(@Param('app') app: string, @Param('id') id: string, @Headers(LEASE_NONCE_HEADER) nonce?: string): Promise<{ ok: true }> {
    await this.commands.cordon(app, id, true, nonce);
    return { ok: true };
  }

  @Post(':id/uncordon')
  @HttpCode(200)
  async uncordon(@Param('app') app: string, @Param('id') id: string, @Headers(LEASE_NONCE_HEADER) nonce?: string): Promise<{ ok: true }> {
    await this.commands.cordon(app, id, false, nonce);
    return { ok: true };
  }

  /** Held until the state is reached (200) or `timeout` seconds (1–60, default 60) pass (408). `version` is accepted as an alias of `instance_id`. */
  @Get(':id/wait')
  async wait(
    @Param('app') app: string,
    @Param('id') id: string,
    @Query('state') state = 'started',
    @Query('timeout') timeout?: string,
    @Query('instance_id') instanceId?: string,
    @Query('version') version?: string,
  ): Promise<{ ok: true }> {
    if (!WAIT_STATES.includes(state as MachineState)) throw fleetError(FleetErrorCodes.INVALID, `state must be one of ${WAIT_STATES.join(', ')}; got "${state}"`);
    const timeoutSec = intQuery('timeout', timeout, 1, 60) ?? 60;
    await this.queries.wait(app, id, state as MachineState, instanceId || version || undefined, timeoutSec);
    return { ok: true };
  }
}
