/**
 * bench:client-size — what a service installs to use the client: the packed @prompt-service/client installed into an
 * empty project (packages and bytes in its node_modules, tarball size), against the baseline of the same run, the root
 * package's production dependency tree (what installing the server package would bring, measured in this checkout's
 * node_modules, no download). Budget (issue 16): ≤ 3 packages, ≤ 2 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installedFootprint, installInScratch, packClient, rootProductionFootprint } from '../test/helpers/client-package';
import { runBench } from './harness';

const BUDGET = { packages: 3, bytes: 2_000_000 };
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

runBench(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-client-size-'));
  let scratch: string | undefined;
  try {
    const packed = await packClient(tmp);
    scratch = await installInScratch(packed.tarball);
    const client = installedFootprint(scratch);
    const root = rootProductionFootprint();
    console.log(
      `tarball ${packed.name}@${packed.version}: ${(packed.size / 1024).toFixed(1)} KB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KB unpacked`,
    );
    console.log('| install                         | packages | size      |');
    console.log('| ------------------------------- | -------: | --------: |');
    console.log(`| @prompt-service/client (packed) | ${String(client.packages.length).padStart(8)} | ${mb(client.bytes).padStart(9)} |`);
    console.log(`| prompt-service (root, baseline) | ${String(root.packages.length).padStart(8)} | ${mb(root.bytes).padStart(9)} |`);
    console.log(`installed: ${client.packages.join(', ')}`);
    console.log(
      `ratio: ${(root.packages.length / client.packages.length).toFixed(0)}× fewer packages, ${(root.bytes / client.bytes).toFixed(0)}× fewer bytes; ` +
        `budget ≤ ${BUDGET.packages} packages, ≤ ${mb(BUDGET.bytes)}: ${client.packages.length <= BUDGET.packages && client.bytes <= BUDGET.bytes ? 'met' : 'NOT met'}`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
});
