// How the crash test tells the runtime's process when to die: a plan, in an
// environment variable, that test/support/crash-preload.ts reads inside that
// process. Nothing here knows how the runtime stores its state: a plan names
// a moment (a line the process itself writes, or a signal from the test) and
// then "the nth write under DATA_DIR", whatever file that is.

/** The variable the preload reads its plan from (crash-preload.ts spells it too: it imports nothing at run time). */
export const PLAN_ENV = 'WAPLUG_CRASH_PLAN'

/** The signal that arms a plan whose moment only the test knows. */
export const ARM_SIGNAL = 'SIGUSR2'

export interface CrashPlan {
  /** Arm on the first line of the process's own output (stdout or stderr) containing this text; else on {@link ARM_SIGNAL}. */
  armOnOutput?: string
  /** Watch the output for {@link armOnOutput} only after {@link ARM_SIGNAL}, so that an earlier such line does not count. */
  watchAfterSignal?: boolean
  /** Die on the nth write (0 = the first) under DATA_DIR after arming, while that write is under way. */
  nth: number
  /** Count only writes that replace what an existing file holds (writing over it, or renaming onto it). */
  overwritesOnly: boolean
  /** With no such write this long after arming (a store that writes otherwise), die anyway. */
  fallbackMs: number
}

/** The line the preload writes to stderr once it has taken {@link ARM_SIGNAL}. */
export const SIGNAL_TAKEN_MARK = 'crash-preload: signal taken'

/** The line the preload writes to stderr just before it kills the process, so the test can tell how the kill landed. */
export const KILLED_MARK = 'crash-preload: SIGKILL'

export function planEnv(plan: CrashPlan): Record<string, string> {
  return { [PLAN_ENV]: JSON.stringify(plan) }
}
