// What one large group costs the runtime outside WhatsApp: turning the cached
// group into the API's shape (GET /groups/:jid, GET /groups) and into the
// shape Baileys asks for on every send to the group (cachedGroupMetadata).
// Run it in two checkouts to compare a change:
//
//   node --import tsx bench/big-group.ts [members=1000] [calls=2000]
import { GroupCache } from '../core/whatsapp/groups/group-cache.js'
import type { GroupInfo } from '../core/whatsapp/groups/group-types.js'
import { toGroupData } from '../plugins/groups/group-data.js'

const members = Number(process.argv[2] ?? 1000)
const calls = Number(process.argv[3] ?? 2000)
const jid = '120363000000000001@g.us'
// Half the members with a lid beside their phone jid, as in a LID-addressed group.
const participants = Array.from({ length: members }, (_, i) => {
  const phone = `${15550300000 + i}@s.whatsapp.net`
  return i % 2 ? { jid: phone, lid: `${100000000000000 + i}@lid`, isAdmin: false, isSuperAdmin: false } : { jid: phone, isAdmin: i === 0, isSuperAdmin: i === 0 }
})
const group: GroupInfo = {
  jid,
  subject: 'A large group',
  description: '',
  owner: participants[0]!.jid,
  createdAt: 1_700_000_000,
  size: members,
  participants,
  settings: { onlyAdminsSend: false, onlyAdminsEdit: false, onlyAdminsAdd: true, joinApproval: false, disappearingSeconds: 0 },
  addressingMode: 'lid',
}
const cache = new GroupCache()
cache.set(group)

/** µs per call, the best of five runs: the machine's noise only ever adds. */
function micros(call: () => unknown): number {
  let best = Infinity
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint()
    for (let i = 0; i < calls; i++) call()
    best = Math.min(best, Number(process.hrtime.bigint() - started) / calls / 1000)
  }
  return best
}

process.stdout.write(`${members} members: as the API shows it ${micros(() => toGroupData(group)).toFixed(1)} µs, as Baileys asks for it on a send ${micros(() => cache.toBaileys(jid)).toFixed(1)} µs\n`)
