/**
 * The short syntax of `batch --ops`, and `--ops-file`. An op item is `OP[:PARAM=VALUE]...`:
 *
 *   gaussian:sigma=2,1:order=0,1   canny:sigma=2:low-threshold=5:use-quantiles=false   mask:threshold=90
 *
 * PARAM is the parameter's CLI name (`low-threshold`; `lowThreshold` and `low_threshold` work too),
 * VALUE a number, `ROWS,COLS` for a per-axis pair (sigma, order), a boundary mode name, or true/false.
 * Items are separate arguments, or joined by commas where no value has a comma (the older form
 * `gaussian-laplace,sobel-magnitude` still works): a comma followed by something that is not an op
 * name continues the value before it. `--ops-file FILE.json` holds a JSON array of the library's
 * `OpRequest` objects instead, each checked by `validateOp`.
 */
import { BOUNDARY_MODES } from '../../filters/boundary.js';
import { OP_SPECS, type ParamSpec } from '../../filters/op-specs.js';
import { OP_NAMES, type OpName, type OpParams, type OpRequest, opRequest, validateOp, validateOpName } from '../../filters/ops.js';

export interface LabelledRequest {
  /** Names the output in file names and the manifest: the op, then each parameter given (`gaussian-sigma2_1`). */
  label: string;
  request: OpRequest;
}

/** `--ops` values (one or more arguments) as requests; every request is validated, labels unique. */
export function parseOpsArgs(args: readonly string[]): LabelledRequest[] {
  const items = splitItems(args);
  if (items.length === 0) throw new RangeError(`--ops needs at least one op (${OP_NAMES.join(', ')})`);
  return uniqueLabels(items.map(parseItem), '--ops');
}

/** The requests of an `--ops-file`: `text` is the file's content, `file` its name for errors. */
export function parseOpsFile(text: string, file: string): LabelledRequest[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RangeError(`${file}: not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new RangeError(`${file}: expected a non-empty JSON array of requests such as {"op": "gaussian", "sigma": [2, 1]}`);
  }
  const outputs = value.map((item: unknown, index): LabelledRequest => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new RangeError(`${file}: item ${index}: expected an object such as {"op": "sobel"}, got ${JSON.stringify(item)}`);
    }
    try {
      const request = item as OpRequest;
      validateOp(request);
      return { label: labelOf(request), request };
    } catch (error) {
      throw new RangeError(`${file}: item ${index}: ${(error as Error).message}`, { cause: error });
    }
  });
  return uniqueLabels(outputs, file);
}

/** The label of a request: its op, then each parameter given in the op's parameter order. */
export function labelOf(request: OpRequest): string {
  const parts: string[] = [request.op];
  const given: Record<string, unknown> = { ...request };
  for (const spec of OP_SPECS[request.op].params) {
    const value = given[spec.name];
    if (value === undefined) continue;
    parts.push(`${spec.flag.slice(2)}${Array.isArray(value) ? value.join('_') : String(value)}`);
  }
  return parts.join('-');
}

function uniqueLabels(outputs: LabelledRequest[], where: string): LabelledRequest[] {
  const seen = new Set<string>();
  for (const { label } of outputs) {
    if (seen.has(label)) throw new RangeError(`${where} lists ${label} twice; give each a different parameter`);
    seen.add(label);
  }
  return outputs;
}

/** Arguments split at commas that start a new op item (a comma before a value's second number does not). */
function splitItems(args: readonly string[]): string[] {
  const items: string[] = [];
  for (const arg of args) {
    const pieces = arg.split(',').map((s) => s.trim());
    let current: string | undefined;
    for (const piece of pieces) {
      if (current === undefined || startsWithOpName(piece) || piece === '') {
        if (current !== undefined) items.push(current);
        current = piece;
      } else {
        current += `,${piece}`;
      }
    }
    if (current !== undefined) items.push(current);
  }
  const empty = items.findIndex((item) => item === '');
  if (empty >= 0) {
    throw new RangeError(`--ops has an empty item in ${JSON.stringify(args.join(' '))}; separate op items by spaces (or commas), e.g. gaussian:sigma=2,1 canny:low-threshold=5`);
  }
  return items;
}

function startsWithOpName(piece: string): boolean {
  const name = piece.split(':')[0];
  return /^[a-z]/i.test(name);
}

function parseItem(item: string): LabelledRequest {
  const [name, ...assignments] = item.split(':');
  let op: OpName;
  try {
    op = validateOpName(name);
  } catch (error) {
    throw new RangeError(
      `${(error as Error).message} in --ops item ${JSON.stringify(item)} (--ops takes several values: put the input folder before --ops, or end the list with --)`,
      { cause: error },
    );
  }
  const specs = OP_SPECS[op].params;
  const params: Record<string, unknown> = {};
  for (const assignment of assignments) {
    const match = /^([A-Za-z][A-Za-z_-]*)=(.*)$/.exec(assignment);
    if (!match) throw new RangeError(`op parameter must be NAME=VALUE, got ${JSON.stringify(assignment)} in ${JSON.stringify(item)}`);
    const [, key, text] = match;
    const spec = specs.find((s) => sameName(s, key));
    if (spec === undefined) {
      const names = specs.map((s) => s.flag.slice(2));
      throw new RangeError(`op ${op} does not take ${key} (in ${JSON.stringify(item)}); it takes ${names.length ? names.join(', ') : 'no parameters'}`);
    }
    if (spec.name in params) throw new RangeError(`parameter ${spec.flag.slice(2)} given twice in ${JSON.stringify(item)}`);
    params[spec.name] = parseValue(spec, text, item);
  }
  try {
    const request = opRequest(op, params as OpParams);
    return { label: labelOf(request), request };
  } catch (error) {
    throw new RangeError(`${(error as Error).message} in --ops item ${JSON.stringify(item)}`, { cause: error });
  }
}

/** `low-threshold`, `lowThreshold` and `low_threshold` all name the parameter lowThreshold. */
function sameName(spec: ParamSpec, key: string): boolean {
  const plain = (s: string) => s.replace(/[-_]/g, '').toLowerCase();
  return plain(key) === plain(spec.name);
}

function parseValue(spec: ParamSpec, text: string, item: string): unknown {
  const where = `${spec.flag.slice(2)}=${text} in ${JSON.stringify(item)}`;
  if (spec.name === 'mode') {
    if (!(BOUNDARY_MODES as readonly string[]).includes(text)) throw new RangeError(`mode must be one of ${BOUNDARY_MODES.join(', ')}; got ${where}`);
    return text;
  }
  if (spec.name === 'useQuantiles') {
    if (text !== 'true' && text !== 'false') throw new RangeError(`${spec.flag.slice(2)} must be true or false; got ${where}`);
    return text === 'true';
  }
  const pairAllowed = spec.name === 'sigma' || spec.name === 'order';
  const parts = text.split(',');
  if (parts.length > (pairAllowed ? 2 : 1)) {
    throw new RangeError(`${spec.flag.slice(2)} takes ${pairAllowed ? 'one number or ROWS,COLS' : 'one number'}; got ${where}`);
  }
  const numbers = parts.map((part) => {
    const value = part.trim() === '' ? NaN : Number(part);
    if (!Number.isFinite(value)) throw new RangeError(`${spec.flag.slice(2)} must be ${pairAllowed ? 'a number or ROWS,COLS' : 'a number'}; got ${where}`);
    return value;
  });
  return numbers.length === 2 ? [numbers[0], numbers[1]] : numbers[0];
}
