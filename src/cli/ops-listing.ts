/**
 * The op table (src/filters/op-specs.ts) as people read it: `xray-gpu ops`, `filter --list-ops`, and
 * the help line of each `filter` parameter option (its accepted values and its default per op).
 */
import { OP_SPECS, type ParamSpec } from '../filters/op-specs.js';
import { OP_NAMES, type OpName } from '../filters/ops.js';

/** Every op with its equivalent call and each parameter's default, accepted values and library name. */
export function formatOpsListing(): string {
  const blocks = OP_NAMES.map((op) => {
    const spec = OP_SPECS[op];
    const lines = [`${op}: ${spec.summary}`, `  as ${spec.equivalent}`];
    if (spec.params.length === 0) lines.push('  no parameters');
    for (const param of spec.params) {
      lines.push(`  ${param.flag.padEnd(17)} default ${param.defaultText}; ${param.accepts}`);
      const library = param.scipy === null ? 'no equivalent' : param.scipy;
      lines.push(`  ${''.padEnd(17)} SciPy/skimage: ${library}${param.differs ? ` (${param.differs})` : ''}`);
    }
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

/** The table as JSON: one object per op, the parameters under their OpRequest names. */
export function opsListingJson(): string {
  return JSON.stringify(OP_NAMES.map((op) => OP_SPECS[op]));
}

/** The ops taking the parameter named by `flag` (e.g. `--sigma`), each with its spec. */
function specsFor(flag: string): { op: OpName; param: ParamSpec }[] {
  return OP_NAMES.flatMap((op) => OP_SPECS[op].params.filter((param) => param.flag === flag).map((param) => ({ op, param })));
}

/**
 * Help text for a `filter` parameter option: what it does, the ops that take it (or those that do
 * not, when most do), the values it accepts and its default, with the ops whose default differs
 * (`default: reflect; constant for canny`).
 */
export function paramHelp(flag: string, options: { accepts?: boolean } = {}): string {
  const specs = specsFor(flag);
  if (specs.length === 0) throw new Error(`no op takes ${flag}`);
  const ops = specs.map((s) => s.op);
  const others = OP_NAMES.filter((op) => !ops.includes(op));
  const takers = others.length === 0 ? 'every op' : ops.length <= others.length ? ops.join(', ') : `every op but ${others.join(', ')}`;
  const byDefault = new Map<string, OpName[]>();
  for (const { op, param } of specs) byDefault.set(param.defaultText, [...(byDefault.get(param.defaultText) ?? []), op]);
  // The most common default first, then the ops that differ.
  const [common, ...rest] = [...byDefault].sort((a, b) => b[1].length - a[1].length);
  const defaults = [common[0], ...rest.map(([text, names]) => `${text} for ${names.join(', ')}`)].join('; ');
  const first = specs[0].param;
  const accepts = options.accepts === false ? '' : `; accepts ${first.accepts}`;
  const differ = specs.filter((s) => s.param.differs !== undefined).map((s) => s.op);
  const note = differ.length > 0 ? ` (SciPy/skimage have another or none for ${differ.join(', ')}: see "xray-gpu ops")` : '';
  return `${first.description} (${takers})${accepts}; default: ${defaults}${note}`;
}
