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
 * Help text for a `filter` parameter option: what it does, the values it accepts, the ops that take
 * it and its default, per op where they differ (`default: 1 (gaussian, gaussian-laplace), 2 (...)`).
 */
export function paramHelp(flag: string): string {
  const specs = specsFor(flag);
  if (specs.length === 0) throw new Error(`no op takes ${flag}`);
  const byDefault = new Map<string, OpName[]>();
  for (const { op, param } of specs) byDefault.set(param.defaultText, [...(byDefault.get(param.defaultText) ?? []), op]);
  const ops = specs.map((s) => s.op);
  const defaults =
    byDefault.size === 1
      ? [...byDefault.keys()][0]
      : [...byDefault].map(([text, names]) => `${text} (${names.join(', ')})`).join('; ');
  const first = specs[0].param;
  return `${first.description}, for ${ops.length === OP_NAMES.length ? 'every op' : ops.join(', ')}; accepts ${first.accepts}; default: ${defaults}`;
}
