import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * Baileys encrypts a message inside its key transaction and, as published,
 * sends it before that transaction commits: a crash between the two leaves
 * the contact ahead of the stored ratchet. waplug's patch (patches/, applied
 * by patch-package) sends after the commit. This tells whether the Baileys
 * that is loaded has it, so a bot installed without it hears so at start.
 */
export function baileysSendsAfterCommit(): boolean {
  try {
    const root = path.dirname(createRequire(import.meta.url).resolve('@whiskeysockets/baileys/package.json'))
    return readFileSync(path.join(root, 'lib/Socket/messages-send.js'), 'utf8').includes('await sendNode(stanzaToSend)')
  } catch {
    return false
  }
}

export const UNPATCHED_WARNING =
  "Baileys is not patched: a crash while a message is being sent can leave a contact unable to read the bot's next messages. " +
  'Add "postinstall": "patch-package --patch-dir node_modules/waplug/patches" to your package.json scripts, install patch-package, and run npm install'
