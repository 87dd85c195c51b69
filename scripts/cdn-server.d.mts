// Types for cdn-server.mjs (used by the unit tests).
export interface CdnServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export declare function startCdnServer(options?: { root?: string; port?: number; host?: string; quiet?: boolean }): Promise<CdnServer>;
