/** A machine the edge may send an app's requests to. */
export interface EdgeTarget {
  machineId: string;
  /** `host:port` of the machine's http service on this host. */
  address: string;
}

/** Where targets come from (fleet wires this to its machines: started, not cordoned, checks passing). */
export interface EdgeTargetSource {
  targets(app: string): Promise<EdgeTarget[]>;
}
