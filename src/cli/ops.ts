/** `xray-gpu ops [--json]`: every op with its parameters, defaults and SciPy / scikit-image equivalent. */
import type { Command } from 'commander';
import { formatOpsListing, opsListingJson } from './ops-listing.js';

export function registerOpsCommand(program: Command): void {
  program
    .command('ops')
    .description('list every op of filter and batch: parameters, defaults, accepted values, the SciPy / scikit-image equivalent')
    .option('--json', 'print the table as one JSON array')
    .action((options: { json?: boolean }) => {
      process.stdout.write(options.json ? `${opsListingJson()}\n` : formatOpsListing());
    });
}
