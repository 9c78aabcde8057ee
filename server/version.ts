// The package version, inlined at build time from package.json.
import pkg from '../package.json';

export const VERSION: string = pkg.version;
