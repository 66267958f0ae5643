import { createRelay } from './baseline-relay.js';

/** Child-process entry of the baseline relay: PORT from the environment, GET / answers 200. */
const port = Number(process.env.PORT);
const server = createRelay();
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));
