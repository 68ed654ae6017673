// Injected by the build (esbuild `define`), so start-up does not read package.json.
declare const PROVISION_VERSION: string | undefined;
export const VERSION: string = typeof PROVISION_VERSION === 'string' ? PROVISION_VERSION : '0.0.0-dev';
