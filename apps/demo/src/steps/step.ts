// What a demo step is and what it reports. A step does one thing with the stack, checks the
// result itself (bytes compared by sha256, errors by their code) and says whether it verified.

export interface StepContext {
  /** A private temporary folder for this run; main.ts removes it at the end. */
  tmp: string;
  /** Aborted when the whole demo must stop (deadline or Ctrl-C). */
  signal: AbortSignal;
  /** Run (last first) when the demo ends, whatever happened: servers a step left open. */
  cleanup: (() => unknown)[];
}

/** Runs and empties `ctx.cleanup`, last registered first; never throws. */
export async function runCleanup(ctx: StepContext): Promise<void> {
  for (const fn of ctx.cleanup.splice(0).reverse()) {
    try {
      await fn();
    } catch {}
  }
}

export interface StepOutcome {
  /** Payload bytes moved or checked, when the step moves data. */
  bytes?: number;
  /** sha256 comparison of what arrived with what was sent; undefined when not applicable. */
  sha256?: boolean;
  /** Everything the step checks held. */
  ok: boolean;
  /** One short line: what was shown, or what went wrong. */
  note: string;
}

export interface Step {
  name: string;
  run(ctx: StepContext): Promise<StepOutcome>;
}

export interface StepResult extends StepOutcome {
  name: string;
  ms: number;
}

/** Runs the steps one after another; a step that throws is a failed step, not a crash. */
export async function runSteps(steps: readonly Step[], ctx: StepContext, onResult?: (r: StepResult) => void) {
  const results: StepResult[] = [];
  for (const step of steps) {
    const start = performance.now();
    let outcome: StepOutcome;
    try {
      outcome = await step.run(ctx);
    } catch (error) {
      outcome = { ok: false, note: `threw: ${describeError(error)}` };
    }
    const result = { name: step.name, ms: performance.now() - start, ...outcome };
    results.push(result);
    onResult?.(result);
  }
  return results;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const first = error.message.split('\n')[0];
    return code !== undefined ? `${String(code)}: ${first}` : `${error.name}: ${first}`;
  }
  return String(error);
}

/** Fails the step with a message when a check does not hold. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}
