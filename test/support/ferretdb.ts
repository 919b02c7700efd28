/** FerretDB for the tests lives in src/store/embedded.ts (shared with `npm start`, the demo and the bench). */
export { buildFerretDbIfMissing, FERRETDB_BIN, freePort, startFerretDb, waitForServer, type FerretDb } from '../../src/store/embedded';
