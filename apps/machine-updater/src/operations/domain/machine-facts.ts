import { MetadataKeys } from '@hangar/machines-api';
import type { MachineUpdatedData, MachineUpdateRequestedData } from '@hangar/contracts';

export type MachineFacts = Pick<MachineUpdatedData, 'image' | 'processGroup' | 'region' | 'managed' | 'releaseVersion'>;

/**
 * What a successful operation leaves the machine with, from the request: recorded in
 * `MachineUpdated` so the fleet at any past moment can be told from the events alone
 * (`GET /v1/apps/:app/machines?at=`). Requests without a config (destroy, stop, cordon) carry
 * no image and leave `managed` unsaid.
 */
export function machineFacts(req: MachineUpdateRequestedData): MachineFacts {
  return {
    processGroup: req.processGroup,
    ...(req.region === undefined ? {} : { region: req.region }),
    releaseVersion: req.releaseVersion,
    ...(req.config ? { image: req.config.image, managed: req.config.metadata?.[MetadataKeys.platformVersion] === 'v2' } : {}),
  };
}
