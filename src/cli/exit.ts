// Commands report their outcome through process.exitCode so that output streams flush before exit.

export function setExitCode(code: number): void {
  if (code > Number(process.exitCode ?? 0)) process.exitCode = code;
}
