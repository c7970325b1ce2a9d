/** The path under which registries deliver to receiver `<id>`; the JSON body parsers skip it. */
export const WEBHOOKS_PATH = '/v1/webhooks/';

/**
 * Where registries reach this gateway: `HANGAR_PUBLIC_URL`, else `http://<HANGAR_HTTP_HOST>:<port>` of
 * the server once it listens (the port may have been chosen by the OS).
 */
export class PublicUrl {
  private listening?: string;

  constructor(private readonly configured?: string) {}

  /** Records the address the server listens on (the default base). */
  listeningAt(url: string): void {
    this.listening = url.replace(/\/+$/, '');
  }

  get base(): string {
    const base = this.configured ?? this.listening;
    if (!base) throw new Error('the gateway does not listen yet, so its public URL is unknown');
    return base;
  }

  /** `<base>/v1/webhooks/registry/<id>`: what a registry's webhook is configured with. */
  receiverUrl(receiverId: string): string {
    return `${this.base}${WEBHOOKS_PATH}registry/${encodeURIComponent(receiverId)}`;
  }
}
