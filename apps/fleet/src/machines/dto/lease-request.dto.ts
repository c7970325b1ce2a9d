import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** Optional body of `POST …/lease` (`ttl` may come as a query parameter instead, as flyctl sends it). */
export class LeaseRequestDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  ttl?: number;

  @IsOptional()
  @IsString()
  description?: string;
}
