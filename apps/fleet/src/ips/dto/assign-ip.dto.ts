import { IsIn, IsOptional, IsString } from 'class-validator';

/** Body of `POST /v1/apps/:app/ip_assignments` (fly-go `flaps.AssignIPRequest`). */
export class AssignIpDto {
  @IsIn(['v4', 'shared_v4', 'v6', 'private_v6'], { message: 'type must be one of v4, shared_v4, v6, private_v6' })
  type!: 'v4' | 'shared_v4' | 'v6' | 'private_v6';

  @IsOptional()
  @IsString()
  region?: string;

  @IsOptional()
  @IsString()
  org_slug?: string;

  @IsOptional()
  @IsString()
  network?: string;

  @IsOptional()
  @IsString()
  service_name?: string;
}
