/**
 * A small option parser for the macl subcommands: `--name value`,
 * `--name=value` and flags, each declared with its kind so a bad value is
 * refused with a message naming the option (the caller exits 2 with usage).
 */

export type OptionKind = 'string' | 'int' | 'number' | 'flag';

export interface OptionSpec {
  readonly kind: OptionKind;
  /** Smallest accepted value for int and number options. */
  readonly min?: number;
}

export type OptionValues = Readonly<Record<string, string | number | boolean | undefined>>;

export type ParsedArgs = { readonly values: OptionValues; readonly positionals: readonly string[] } | { readonly error: string };

function convert(name: string, spec: OptionSpec, raw: string): string | number | { error: string } {
  if (spec.kind === 'string') return raw;
  const value = Number(raw);
  const wantsInt = spec.kind === 'int';
  if (raw.trim() === '' || !Number.isFinite(value) || (wantsInt && !Number.isInteger(value))) {
    return { error: `--${name} must be ${wantsInt ? 'an integer' : 'a number'}, got "${raw}".` };
  }
  if (spec.min !== undefined && value < spec.min) return { error: `--${name} must be at least ${spec.min}, got ${raw}.` };
  return value;
}

/** Parses `args` against `specs` (keys are option names without the dashes). */
export function parseArgs(args: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  const values: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (spec === undefined) return { error: `Unknown option "--${name}".` };
    if (name in values) return { error: `--${name} is given twice.` };
    if (spec.kind === 'flag') {
      if (eq !== -1) return { error: `--${name} takes no value.` };
      values[name] = true;
      continue;
    }
    const raw = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (raw === undefined || (eq === -1 && raw.startsWith('--'))) return { error: `--${name} needs a value.` };
    const converted = convert(name, spec, raw);
    if (typeof converted === 'object') return converted;
    values[name] = converted;
  }
  return { values, positionals };
}

/** The string value of `name`, or undefined. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** The numeric value of `name`, or undefined. */
export function numberOption(values: OptionValues, name: string): number | undefined {
  const value = values[name];
  return typeof value === 'number' ? value : undefined;
}

/** Copies the options that were given into an object under the same (or a mapped) key. */
export function givenNumbers(values: OptionValues, names: Readonly<Record<string, string>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [option, key] of Object.entries(names)) {
    const value = numberOption(values, option);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
