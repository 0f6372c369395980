// The runtime paces group calls to keep a number clear of WhatsApp's rate
// limits. The bench opens that pacing wide; if a call still waited for its
// slot, the runtime's figures measure the pacer, not the runtime, and the
// bench says so rather than print them.

/** Group calls the runtime at `url` held back for their slot or refused, by its GET /metrics. */
export async function pacedGroupCalls(url: string, apiKey: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: apiKey } })
  if (!response.ok) throw new Error(`GET ${url}/metrics answered ${response.status}; the bench reads the pacer's counts there (metrics.enabled)`)
  let paced = 0
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith('waplug_pacing_waits_total{') || !line.includes('pacer="groups"')) continue
    if (line.includes('outcome="waited"') || line.includes('outcome="refused"')) paced += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return paced
}

export async function assertUnpaced(name: string, url: string, apiKey: string): Promise<void> {
  const paced = await pacedGroupCalls(url, apiKey)
  if (paced > 0) {
    throw new Error(
      `${name}: ${paced} group call(s) waited for the pacer or were refused by it, so its figures measure the pacer; open whatsapp.groupCalls wider in bench/runtime-bot.ts`,
    )
  }
}
