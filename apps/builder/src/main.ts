import { builderConfig } from './builder.config';
import { startBuilderService } from './builder.bootstrap';

void startBuilderService(builderConfig());
