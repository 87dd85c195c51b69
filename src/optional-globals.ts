/**
 * The browser globals inpage reads, typed as what they really are: possibly missing. The DOM lib declares them
 * always present, but the same code runs in a Worker, in an insecure context (no crypto.subtle), in an older browser
 * (no navigator.locks) and in Node (the CLI and the unit tests), where some are not there.
 */
export interface OptionalGlobals {
  readonly navigator?: Partial<Pick<Navigator, 'hardwareConcurrency' | 'locks' | 'mediaDevices' | 'onLine'>>;
  readonly location?: Pick<Location, 'href'>;
  readonly document?: Pick<Document, 'baseURI'>;
  readonly crypto?: Partial<Pick<Crypto, 'subtle'>>;
  readonly crossOriginIsolated?: boolean;
}

export const optionalGlobals: OptionalGlobals = globalThis;
