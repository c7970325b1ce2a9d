import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { flyBody } from '../http/validation';
import { AppsService, type AppView } from './apps.service';
import { CreateAppDto } from './dto/create-app.dto';

/** `/v1/apps`. */
@Controller('v1/apps')
export class AppsController {
  constructor(private readonly apps: AppsService) {}

  @Post()
  create(@Body(flyBody) body: CreateAppDto): Promise<AppView> {
    return this.apps.create(body.app_name ?? body.name ?? '', body.org_slug || 'personal');
  }

  @Get()
  list() {
    return this.apps.list();
  }

  @Get(':app')
  get(@Param('app') app: string): Promise<AppView> {
    return this.apps.get(app);
  }
}
