/**
 * The answer to a command that a restart cut off mid-way and that WhatsApp
 * delivered again: it may or may not have taken effect, and running it a
 * second time could do it twice (two groups), so the sender decides.
 */
export function interruptedNotice(command: string, check: string | undefined): string {
  const how = check ? `Send ${check} to see whether it did` : 'Check whether it did'
  return `⚠️ I restarted while I was doing ${command}, so I can't tell whether it was done. ${how}, and send it again only if it was not: I won't run it twice by myself.`
}
