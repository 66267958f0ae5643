import { fileURLToPath } from 'node:url';

/** The repository root (bench/message-path/ is two levels below it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
