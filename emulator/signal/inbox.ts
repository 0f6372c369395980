// Things the bot sends, for tests to take one at a time. Each is handed out
// once; a waiter registered before it arrived gets it first, so an `await`
// placed after the trigger cannot miss it.

interface Waiter<T> {
  filter: (item: T) => boolean
  resolve: (item: T) => void
  reject: (e: Error) => void
  timer: NodeJS.Timeout
}

export class Inbox<T> {
  protected readonly unread: T[] = []
  private readonly waiters: Waiter<T>[] = []

  /** `timedOut` words the error of a wait that timed out, from what came instead. */
  constructor(private readonly timedOut: (what: string, timeoutMs: number, unread: readonly T[]) => string) {}

  protected deliver(item: T): void {
    const i = this.waiters.findIndex((w) => w.filter(item))
    if (i < 0) {
      this.unread.push(item)
      return
    }
    const [w] = this.waiters.splice(i, 1)
    clearTimeout(w!.timer)
    w!.resolve(item)
  }

  next(filter: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const i = this.unread.findIndex(filter)
    if (i >= 0) return Promise.resolve(this.unread.splice(i, 1)[0]!)
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        filter,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          reject(new Error(this.timedOut(what, timeoutMs, this.unread)))
        }, timeoutMs),
      }
      this.waiters.push(waiter)
    })
  }

  close(): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer)
      w.reject(new Error('emulator stopped'))
    }
  }
}
