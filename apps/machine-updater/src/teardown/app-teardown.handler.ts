import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, type AppTeardownResult } from '@hangar/contracts';
import { ListMachinesDto } from '../machines/dto/list-machines.dto';
import { AppTeardown } from './app-teardown.service';

/**
 * `<ns>.cmd.machine-updater.teardown-app {app}`: destroy now what a destroyed app still has, and say
 * what went. releaser sends it right after recording `AppDestroyed`, so `apps destroy` can answer once
 * everything is gone; it refuses for an app that is not destroyed.
 */
@Controller()
export class AppTeardownHandler {
  constructor(private readonly teardown: AppTeardown) {}

  @MessagePattern(commandPattern('machine-updater', 'teardown-app'))
  run(@Payload() dto: ListMachinesDto): Promise<AppTeardownResult> {
    return this.teardown.run(dto.app);
  }
}
