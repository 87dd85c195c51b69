/** Default registry.json URL, set at build time from INPAGE_REGISTRY (see vite.config.ts). */
declare const __INPAGE_REGISTRY__: string;
