import type { Emulator } from '../index.js'

export interface SeedContact {
  phone: string
  name: string
  onGroupAdd?: 'accept' | 'privacy' | 'not-on-whatsapp'
}

/** Who lives in the sandbox: you (an owner), two friends, and one who only lets contacts add them. */
export const SEED_CONTACTS: SeedContact[] = [
  { phone: '15550001111', name: 'You' },
  { phone: '15550002222', name: 'Alice' },
  { phone: '15550003333', name: 'Bob' },
  { phone: '15550004444', name: 'Carol', onGroupAdd: 'privacy' },
]

export const SANDBOX_BOT_PHONE = '15550000001'

export function seed(emulator: Emulator): void {
  for (const contact of SEED_CONTACTS) emulator.addContact(contact)
}
