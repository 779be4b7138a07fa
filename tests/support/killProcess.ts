/**
 * SIGKILLs one child process by pid, refusing anything that is not a
 * positive pid: process.kill(0) would kill the test runner's whole process
 * group (the CI script included) without a trace in the log.
 */
export function killChild(pid: number | null | undefined): void {
  if (pid === null || pid === undefined || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) {
    throw new Error(`refusing to kill pid ${String(pid)}: not a child process id`);
  }
  process.kill(pid, 'SIGKILL');
}

/** Whether a process with this pid still exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
