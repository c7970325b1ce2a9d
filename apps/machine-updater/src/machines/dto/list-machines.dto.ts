import { IsString, Matches } from 'class-validator';
import { APP_NAME_PATTERN } from '@hangar/contracts';

export class ListMachinesDto {
  @IsString()
  @Matches(APP_NAME_PATTERN, { message: 'app must be a valid app name' })
  app!: string;
}
