import type { WASocket } from '@whiskeysockets/baileys'

/**
 * How often Baileys pings WhatsApp, so that a live connection always carries
 * a packet (the ping's answer) well within `silentAfterMs`, even when its
 * answer is slow.
 */
export const keepAliveIntervalFor = (silentAfterMs: number): number => Math.round(silentAfterMs / 3)

/**
 * Notices a connection that went silent: no packet in for `silentAfterMs`.
 * Baileys' own check alone takes one to two keepalive intervals (plus five
 * seconds), and then it closes the socket politely, waiting up to 30 s for a
 * close frame that a dead path never brings: 60 to 90 s with its defaults.
 */
export class SilenceWatchdog {
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly silentAfterMs: number,
    private readonly onSilent: (sock: WASocket) => void,
  ) {}

  watch(sock: WASocket): void {
    this.stop()
    const timer = setTimeout(() => {
      if (this.timer === timer) this.onSilent(sock)
    }, this.silentAfterMs)
    timer.unref()
    this.timer = timer
    // refresh() re-arms the same timer in place: cheap enough for every packet.
    sock.ws.on('message', () => {
      if (this.timer === timer) timer.refresh()
    })
  }

  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}

/**
 * Ends a socket at once, without the closing handshake that waits for the
 * other side: its close event fires now, and Baileys reports the connection
 * closed. The WebSocket is a protected member of Baileys' client (pinned
 * version); when it is not there, Baileys' own end() is the fallback.
 */
export function cutSocket(sock: WASocket, reason: Error): void {
  const raw = (sock.ws as unknown as { socket?: { terminate?: () => void } | null }).socket
  if (typeof raw?.terminate === 'function') raw.terminate()
  else void sock.end(reason)
}
