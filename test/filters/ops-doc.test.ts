/** docs/ops.md is generated from OP_SPECS; this keeps it in sync (XRAY_UPDATE_DOCS=1 rewrites it). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { opsMarkdown } from '../../scripts/ops-doc.js';
import { REPO_ROOT } from '../helpers/golden.js';

it('docs/ops.md lists every op as OP_SPECS has it', () => {
  const path = join(REPO_ROOT, 'docs', 'ops.md');
  if (process.env.XRAY_UPDATE_DOCS === '1') writeFileSync(path, opsMarkdown());
  expect(readFileSync(path, 'utf8'), 'docs/ops.md is stale: run XRAY_UPDATE_DOCS=1 npx vitest run test/filters/ops-doc.test.ts').toBe(opsMarkdown());
});
