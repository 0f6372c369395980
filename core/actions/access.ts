import { WaplugError } from '../errors.js'
import type { Caller, ChatPlace, Cooldown } from './action.js'

/**
 * Where a chat command may be sent. Not a permission, so owners are held to it
 * too; HTTP callers are not in any chat and never are.
 */
export function placeRefusal(where: ChatPlace | undefined, caller: Caller, command: string): WaplugError | undefined {
  if (caller.transport !== 'chat' || !where || where === 'anywhere') return undefined
  const inGroup = caller.chat?.endsWith('@g.us') === true
  if (where === 'group' && !inGroup) return new WaplugError(403, `Send ${command} in a group; it works only there`)
  if (where === 'private' && inGroup) return new WaplugError(403, `Send ${command} to me in a private chat; it does not work in groups`)
  return undefined
}

/** "12 s", "3 min", "2 h 5 min": rounded up, so "try again in" is never too early. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`
}

/**
 * Per-user and per-chat cooldowns of chat commands, in memory (they are about
 * seconds and minutes, so a restart forgetting them is harmless). Owners are
 * exempt: they run the bot. HTTP callers are authenticated API clients and are
 * not counted either.
 */
export class Cooldowns {
  private readonly until = new Map<string, number>()

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Refuses while a cooldown runs; otherwise starts the action's cooldowns for
   * this caller and chat. Checking and starting in one step keeps two commands
   * sent at once from both getting through.
   */
  take(actionId: string, cooldown: Cooldown | undefined, caller: Caller, command: string): WaplugError | undefined {
    if (!cooldown || caller.transport !== 'chat' || caller.isOwner) return undefined
    const now = this.now()
    const keys: { key: string; seconds: number; refusal: (wait: string) => string }[] = []
    if (cooldown.user && caller.jid) {
      keys.push({ key: `${caller.session} ${actionId} user ${caller.jid}`, seconds: cooldown.user, refusal: (wait) => `You used ${command} a moment ago; try again in ${wait}` })
    }
    if (cooldown.chat && caller.chat) {
      keys.push({ key: `${caller.session} ${actionId} chat ${caller.chat}`, seconds: cooldown.chat, refusal: (wait) => `${command} was used in this chat a moment ago; try again in ${wait}` })
    }
    // The longest wait wins, so the caller is told the time that actually works.
    let refusal: { ms: number; text: (wait: string) => string } | undefined
    for (const { key, refusal: text } of keys) {
      const ms = (this.until.get(key) ?? 0) - now
      if (ms > 0 && (!refusal || ms > refusal.ms)) refusal = { ms, text }
    }
    if (refusal) {
      const seconds = Math.max(1, Math.ceil(refusal.ms / 1000))
      return new WaplugError(429, refusal.text(waitText(refusal.ms)), { headers: { 'Retry-After': String(seconds) } })
    }
    if (this.until.size > 10_000) this.sweep(now)
    for (const { key, seconds } of keys) this.until.set(key, now + seconds * 1000)
    return undefined
  }

  private sweep(now: number): void {
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key)
  }
}
