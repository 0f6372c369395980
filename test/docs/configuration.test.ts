// docs/configuration.md against the configuration itself: the table is the one
// `npm run docs:config` writes from core/config.ts and config/default.json, so a
// key added, renamed or described anew shows here until the docs are regenerated.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { CONFIG_SCHEMA, DEFAULTS_FILE, ENV_KEYS, loadConfig } from '../../core/config.js'
import { BEGIN, documentedKeys, END, renderConfigTable, withConfigTable } from '../../scripts/config-reference.js'

const REPO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const doc = readFileSync(path.join(REPO, 'docs', 'configuration.md'), 'utf8')
const table = doc.slice(doc.indexOf(BEGIN), doc.indexOf(END))

/** Every key with a value of its own in default.json, dotted: `whatsapp.groupCalls.burst`. */
function leaves(node: unknown, prefix = ''): string[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node) || Object.keys(node).length === 0) return [prefix.slice(0, -1)]
  return Object.entries(node).flatMap(([key, value]) => leaves(value, `${prefix}${key}.`))
}

describe('docs/configuration.md', () => {
  it('holds the table npm run docs:config writes today (run it after changing core/config.ts or config/default.json)', () => {
    assert.equal(withConfigTable(doc), doc)
  })

  it('documents every key of config/default.json', () => {
    const rows = documentedKeys().map(({ key }) => key)
    const missing = leaves(JSON.parse(readFileSync(DEFAULTS_FILE, 'utf8'))).filter((leaf) => !rows.some((row) => leaf === row || leaf.startsWith(`${row}.`)))
    assert.deepEqual(missing, [])
    for (const row of rows) assert.ok(table.includes(`| \`${row}\` |`), `no row for ${row}`)
  })

  it('names every environment variable on the row of the key it sets', () => {
    const rows = documentedKeys().map(({ key }) => key)
    for (const [name, { key }] of Object.entries(ENV_KEYS)) {
      const row = rows.find((r) => key === r || key.startsWith(`${r}.`))
      assert.ok(row, `${name} sets ${key}, which has no row`)
      const line = table.split('\n').find((l) => l.startsWith(`| \`${row}\` |`)) ?? ''
      assert.ok(line.includes(`\`${name}\``), `${name} is not on the row of ${row}`)
    }
  })

  it('refuses to generate a table with a key that has no description', () => {
    const schema = { ...CONFIG_SCHEMA, properties: { ...(CONFIG_SCHEMA.properties as object), extra: { type: 'object', properties: { knob: { type: 'integer' } } } } }
    assert.throws(() => documentedKeys(schema), /The configuration key extra\.knob has no description in core\/config\.ts/)
  })

  it('shows each default as config/default.json has it', () => {
    assert.match(renderConfigTable(), /^\| `http\.port` \| `PORT` \| `7001` \|/m)
    assert.match(renderConfigTable(), /^\| `webhooks\.allow` \| `WEBHOOKS_ALLOW_LOOPBACK` \(`loopback`\), `WEBHOOKS_ALLOW_PRIVATE` \(`private`\) \|/m)
  })

  it('shows an example config/local.json that waplug accepts as it is', () => {
    const example = /A `config\/local\.json`, for instance:\n\n```json\n([\s\S]*?)```/.exec(doc)?.[1]
    assert.ok(example, 'docs/configuration.md has no example config/local.json')
    const dir = mkdtempSync(path.join(tmpdir(), 'waplug-config-doc-'))
    try {
      writeFileSync(path.join(dir, 'local.json'), example)
      const config = loadConfig({ dir, env: {} })
      assert.equal(config.http.port, 8080)
      assert.deepEqual(config.http.cors.origins, ['https://app.example.com'])
      assert.deepEqual(config.owners, ['6281234567890@s.whatsapp.net'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
