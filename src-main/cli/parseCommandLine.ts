/**
 * The start every option-only command shares: parse the options, then end
 * the command with exit 2 and its usage on a mistake or a positional
 * argument, or with exit 0 after printing the usage for --help.
 */
import { parseArgs, type OptionSpec, type OptionValues } from '../services/commandLineOptions';

/**
 * The parsed options and `usageError`, which prints a message with the usage
 * and answers exit code 2 (for the command's own checks); or the exit code
 * the command ends with (the message is already printed).
 */
export type CommandLine =
  | { readonly values: OptionValues; readonly usageError: (message: string) => number }
  | { readonly exitCode: number };

/** Parses `args` for a command that takes options only; `usage` follows every mistake and answers --help. */
export function parseCommandLine(args: readonly string[], specs: Readonly<Record<string, OptionSpec>>, usage: string): CommandLine {
  const parsed = parseArgs(args, specs);
  const usageError = (message: string): number => {
    console.error(`${message}\n\n${usage}`);
    return 2;
  };
  if ('error' in parsed) return { exitCode: usageError(parsed.error) };
  if (parsed.values.help === true) {
    console.log(usage);
    return { exitCode: 0 };
  }
  if (parsed.positionals.length > 0) return { exitCode: usageError(`Unexpected argument "${parsed.positionals[0] ?? ''}".`) };
  return { values: parsed.values, usageError };
}
