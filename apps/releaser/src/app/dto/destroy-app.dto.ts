import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AppNameDto } from './create-app.dto';

/** `<ns>.cmd.releaser.destroy-app`: what `DELETE /v1/apps/:app` sends. */
export class DestroyAppDto extends AppNameDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;
}
