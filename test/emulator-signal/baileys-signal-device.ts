// The bot's side of Signal exactly as Baileys runs it: creds from
// initAuthCreds, prekeys from the same helper its login upload uses, and its
// own signal repository over an in-memory key store.
import { pino } from 'pino'
import { addTransactionCapability, getNextPreKeysNode, initAuthCreds } from '@whiskeysockets/baileys'
import type { AuthenticationCreds, BinaryNode, SignalDataSet, SignalDataTypeMap, SignalKeyStore } from '@whiskeysockets/baileys'
import { makeLibSignalRepository } from '@whiskeysockets/baileys/lib/Signal/libsignal.js'

export function memoryKeyStore(): SignalKeyStore {
  const data = new Map<string, unknown>()
  return {
    get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const out: { [id: string]: SignalDataTypeMap[T] } = {}
      for (const id of ids) {
        const v = data.get(`${type}/${id}`)
        if (v !== undefined) out[id] = v as SignalDataTypeMap[T]
      }
      return out
    },
    set(set: SignalDataSet) {
      for (const [type, entries] of Object.entries(set)) {
        for (const [id, value] of Object.entries(entries ?? {})) {
          if (value === null || value === undefined) data.delete(`${type}/${id}`)
          else data.set(`${type}/${id}`, value)
        }
      }
    },
  }
}

export async function baileysSignalDevice(preKeyCount = 5) {
  const logger = pino({ level: 'silent' })
  const creds: AuthenticationCreds = initAuthCreds()
  const keys = addTransactionCapability(memoryKeyStore(), logger, { maxCommitRetries: 1, delayBetweenTriesMs: 0 })
  const { update, node } = await getNextPreKeysNode({ creds, keys }, preKeyCount)
  Object.assign(creds, update)
  const repository = makeLibSignalRepository({ creds, keys }, logger)
  const uploadNode: BinaryNode = node
  return { creds, keys, repository, uploadNode }
}
