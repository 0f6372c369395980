// The plugin README.md shows a newcomer is a plugin that works: written into a
// plugin author's folder beside the packaged waplug, it answers its command in
// chat and its route over HTTP, as its comments say.
import assert from 'node:assert/strict'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runToEnd } from '../support/capture.js'
import { authorFolder, REPO } from '../support/package.js'

const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8')
const plugin = /## Write a plugin\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]

const check = `
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { startTestBot } from 'waplug/testing'
import hello from './index.ts'

it('answers as the README says', async (t) => {
  const bot = await startTestBot(t, { plugins: [hello] })
  assert.deepEqual(await bot.say('!hello Ana', { from: bot.contact('Alice') }), ['Hello, Ana!'])
  const { status, envelope } = await bot.request('POST', '/hello', { name: 'Ana' })
  assert.deepEqual([status, envelope], [200, { status: true, code: 200, message: 'Said hello', data: { text: 'Hello, Ana!' } }])
})
`

describe("README.md's plugin", () => {
  let dir: string
  before(() => {
    dir = authorFolder('waplug-readme-')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('is in the README, under "Write a plugin"', () => {
    assert.ok(plugin, 'README.md has no ```ts block right under "## Write a plugin"')
  })

  it('runs in a bot and answers in chat and over HTTP', { timeout: 120_000 }, async () => {
    writeFileSync(path.join(dir, 'index.ts'), plugin ?? '')
    writeFileSync(path.join(dir, 'readme.test.ts'), check)
    const run = await runToEnd(process.execPath, ['--import', 'tsx', '--test', 'readme.test.ts'], { cwd: dir })
    assert.equal(run.code, 0, run.output)
    assert.match(run.output, /^# pass 1$/m)
  })
})
