/**
 * The one part of dcmjs (which ships no types) the renderer touches: its
 * loglevel loggers. Cornerstone's metadata module parses every file with it.
 */
declare module 'dcmjs' {
  interface DcmjsLogger {
    setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void;
  }
  export const log: { getLogger(name: string): DcmjsLogger };
}
