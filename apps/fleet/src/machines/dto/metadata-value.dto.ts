import { IsString } from 'class-validator';

/** Body of `POST …/metadata/:key`. */
export class MetadataValueDto {
  @IsString()
  value!: string;
}
