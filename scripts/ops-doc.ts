/**
 * docs/ops.md from OP_SPECS: each op, its SciPy / scikit-image equivalent, its parameters with
 * defaults and accepted values, and where a default differs on purpose. test/filters/ops-doc.test.ts
 * keeps the file in sync (XRAY_UPDATE_DOCS=1 rewrites it).
 */
import { OP_NAMES, OP_SPECS } from '../src/filters/ops.js';

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The markdown of docs/ops.md. */
export function opsMarkdown(): string {
  const lines = [
    '# Ops, parameters and defaults',
    '',
    '<!-- GENERATED from OP_SPECS (src/filters/op-specs.ts) by scripts/ops-doc.ts; do not edit. -->',
    '',
    "Every op of `filter --op`, `batch --ops` and the library's `OpRequest`, with the SciPy /",
    'scikit-image / NumPy call it reproduces. Defaults are SciPy\'s (scikit-image\'s for `canny`); where',
    'SciPy has none (it requires sigma), xray-gpu uses the NumPy tutorial\'s value, marked *differs*.',
    'Library keys are camelCase (`lowThreshold`), CLI flags hyphenated (`--low-threshold`).',
    '',
  ];
  for (const op of OP_NAMES) {
    const spec = OP_SPECS[op];
    lines.push(`## \`${op}\``, '', `${spec.summary}.`, '', `Equivalent: \`${spec.equivalent}\``, '');
    if (spec.params.length === 0) {
      lines.push('No parameters.', '');
      continue;
    }
    lines.push('| parameter | flag | default | accepts | SciPy / skimage | note |', '|---|---|---|---|---|---|');
    for (const p of spec.params) {
      lines.push(
        `| \`${p.name}\` | \`${p.flag}\` | ${cell(p.defaultText)} | ${cell(p.accepts)} | ${p.scipy === null ? '(none)' : `\`${cell(p.scipy)}\``} | ${p.differs ? `*differs*: ${cell(p.differs)}` : ''} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
