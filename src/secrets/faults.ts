// Test-only crash switch. With OSS_TEST_FAULTS=1 and OSS_FAULT_INJECT=<step>, the process
// kills itself with SIGKILL when it reaches <step>: no finally blocks, no exit handlers,
// exactly what a power cut or OOM kill leaves behind. Ignored in every other case.

export type FaultPoint = (step: string) => void;

export const noFaults: FaultPoint = () => {};

export function faultPointFromEnv(env: NodeJS.ProcessEnv = process.env): FaultPoint {
  if (env.OSS_TEST_FAULTS !== '1' || !env.OSS_FAULT_INJECT) return noFaults;
  const target = env.OSS_FAULT_INJECT;
  return (step) => {
    if (step === target) process.kill(process.pid, 'SIGKILL');
  };
}
