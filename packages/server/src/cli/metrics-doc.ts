import { formattedMetricsDoc } from '../services/reports/metrics-doc.js';

/** Prints docs/metrics.md: `npx tsx packages/server/src/cli/metrics-doc.ts > docs/metrics.md`. */
process.stdout.write(await formattedMetricsDoc());
