/** Exit codes (DESIGN §7.1): 0 success, 1 the operation failed, 2 bad usage or invalid config, 3 cannot reach the API / not authorised. */
export const ExitCode = { OK: 0, FAILED: 1, USAGE: 2, UNREACHABLE: 3 } as const;

/** An error that ends the command with a message on stderr and a specific exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
