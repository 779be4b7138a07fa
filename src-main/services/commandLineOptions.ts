/**
 * Command-line options of the macl subcommands and the browser host, read by
 * Node's util.parseArgs: `--name value`, `--name=value`, flags and their
 * one-letter aliases, each declared with its kind so that a bad value is
 * refused with a message naming the option (the caller exits 2 with usage).
 */
import { parseArgs as parseNodeArgs } from 'node:util';

export type OptionKind = 'string' | 'int' | 'number' | 'flag' | 'choice';

export interface OptionSpec {
  readonly kind: OptionKind;
  /** Smallest accepted value for int and number options. */
  readonly min?: number;
  /** The accepted values of a choice option. */
  readonly choices?: readonly string[];
  /** A one-letter alias (`-h` for `--help`). */
  readonly short?: string;
}

export type OptionValues = Readonly<Record<string, string | number | boolean | undefined>>;

export type ParsedArgs = { readonly values: OptionValues; readonly positionals: readonly string[] } | { readonly error: string };

function convert(name: string, spec: OptionSpec, raw: string): string | number | { error: string } {
  if (spec.kind === 'string') return raw;
  if (spec.kind === 'choice') {
    const choices = spec.choices ?? [];
    return choices.includes(raw) ? raw : { error: `--${name} must be one of ${choices.join(', ')}, got "${raw}".` };
  }
  const value = Number(raw);
  const wantsInt = spec.kind === 'int';
  if (raw.trim() === '' || !Number.isFinite(value) || (wantsInt && !Number.isInteger(value))) {
    return { error: `--${name} must be ${wantsInt ? 'an integer' : 'a number'}, got "${raw}".` };
  }
  if (spec.min !== undefined && value < spec.min) return { error: `--${name} must be at least ${spec.min}, got ${raw}.` };
  return value;
}

/**
 * Parses `args` against `specs` (keys are option names without the dashes).
 * util.parseArgs splits the arguments into tokens; the checks here give each
 * mistake its own message, which parseArgs' strict mode does not.
 */
export function parseArgs(args: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, { type: spec.kind === 'flag' ? ('boolean' as const) : ('string' as const), ...(spec.short === undefined ? {} : { short: spec.short }) }]),
  );
  const { tokens } = parseNodeArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const { name } = token;
    const spec = specs[name];
    if (spec === undefined) return { error: `Unknown option "${token.rawName}".` };
    if (name in values) return { error: `--${name} is given twice.` };
    if (spec.kind === 'flag') {
      if (token.value !== undefined) return { error: `--${name} takes no value.` };
      values[name] = true;
      continue;
    }
    const raw = token.value;
    if (raw === undefined || (!token.inlineValue && raw.startsWith('--'))) return { error: `--${name} needs a value.` };
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

/** An `on|off` choice as a boolean, or undefined when not given (the choice itself is checked by parseArgs). */
export function onOffOption(values: OptionValues, name: string): boolean | undefined {
  const value = stringOption(values, name);
  return value === undefined ? undefined : value === 'on';
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
