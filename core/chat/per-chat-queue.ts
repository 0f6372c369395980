/**
 * Runs tasks one after another within a chat and side by side across chats:
 * commands in one chat take effect and are answered in the order they were
 * sent, which matters most when a reconnect hands over a whole backlog at once.
 */
export class PerChatQueue {
  private readonly tails = new Map<string, Promise<void>>()

  /** Runs `task` after the chat's earlier ones; resolves when it has run. A failing task does not stop the chat's next ones. */
  run(chat: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(chat) ?? Promise.resolve()
    const done = previous.then(task).catch(() => undefined)
    this.tails.set(chat, done)
    void done.then(() => {
      if (this.tails.get(chat) === done) this.tails.delete(chat)
    })
    return done
  }
}
