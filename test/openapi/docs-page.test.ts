// The /docs page in a real browser: headless Chromium (Debian's package)
// driven by puppeteer-core opens it, finds the routes, pastes an API key and
// runs "Try it out" on GET /sessions, which only answers with that key. A
// screenshot is saved under the OS temp dir and its path printed.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { startTestBot, type TestBot } from '../../core/testing/index.js'
import { API_KEY, startHarness, type Harness } from '../support/harness.js'

/** Where Debian's chromium package (and the usual others) put the browser; CHROMIUM_PATH wins. */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => Boolean(p))
const chromium = CANDIDATES.find((candidate) => existsSync(candidate))
const skip = chromium ? false : `no Chromium binary found (looked at ${CANDIDATES.join(', ')}): install it with \`apt-get install -y chromium\`, as .ci/run does, or set CHROMIUM_PATH`

/** What the page printed as errors, and scripts that threw: a page that half-loads must not pass. */
function watchProblems(page: Page): string[] {
  // Rendering 70 routes takes a while on a busy 2-core machine.
  page.setDefaultTimeout(60_000)
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`script error: ${(error as Error).message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
  return problems
}

describe('the /docs page in headless Chromium', { skip }, () => {
  let browser: Browser
  let bot: TestBot
  before(async () => {
    bot = await startTestBot({ builtins: true })
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      // As root (CI, containers) Chromium runs only without its sandbox; /dev/shm may be small there.
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    })
  })
  after(async () => {
    await browser?.close()
    await bot?.stop()
  })

  it('shows every route, takes a pasted key, and runs GET /sessions with it ("Try it out")', async () => {
    const page = await browser.newPage()
    await page.setViewport({ width: 1280, height: 1000 })
    const problems = watchProblems(page)
    const outside: string[] = []
    page.on('request', (request) => {
      if (!request.url().startsWith(bot.url) && !request.url().startsWith('data:')) outside.push(request.url())
    })
    await page.goto(`${bot.url}/docs`, { waitUntil: 'networkidle0' })
    assert.equal(await page.title(), 'waplug — API reference')
    await page.waitForSelector('.opblock-summary-path')
    const routes = (await page.evaluate(`[...document.querySelectorAll('.opblock')].map((block) =>
      block.querySelector('.opblock-summary-method').textContent + ' ' + block.querySelector('.opblock-summary-path').getAttribute('data-path'))`)) as string[]
    for (const route of ['GET /health', 'GET /sessions', 'POST /groups', 'POST /sessions/{session}/groups/{jid}/participants/add', 'GET /events']) {
      assert.ok(routes.includes(route), `the page lists ${route} (it lists ${routes.length} routes)`)
    }

    // Paste the key where Swagger UI asks for it: Authorize → the API key scheme.
    await page.click('.auth-wrapper .authorize')
    await page.waitForSelector('.auth-container input')
    const containers = await page.$$('.auth-container')
    let pasted = false
    for (const container of containers) {
      if (!((await container.evaluate(`(node) => node.textContent.includes('apiKey')`)) as boolean)) continue
      await (await container.$('input'))?.type(bot.apiKey)
      await (await container.$('button.authorize'))?.click()
      pasted = true
      break
    }
    assert.ok(pasted, 'the Authorize dialog offers the apiKey scheme')
    await page.click('.auth-btn-wrapper .btn-done')

    // Swagger UI's ids escape the dots of operation ids; the route's block is found by what it shows instead.
    await page.evaluate(`[...document.querySelectorAll('.opblock-get')]
      .find((block) => block.querySelector('.opblock-summary-path').getAttribute('data-path') === '/sessions')
      .setAttribute('data-test', 'sessions-list')`)
    const operation = '[data-test=sessions-list]'
    await page.click(`${operation} .opblock-summary`)
    await page.waitForSelector(`${operation} .try-out__btn`)
    await page.click(`${operation} .try-out__btn`)
    await page.click(`${operation} .execute`)
    await page.waitForSelector(`${operation} .live-responses-table tr.response .response-col_status`)
    const status = (await page.evaluate(`document.querySelector('${operation} .live-responses-table tr.response .response-col_status').textContent.trim()`)) as string
    const body = (await page.evaluate(`document.querySelector('${operation} .live-responses-table tr.response .response-col_description').textContent`)) as string
    assert.match(status, /^200/, 'GET /sessions answered 200: the pasted key was sent (without it the answer is 401)')
    assert.match(body, /"id": "default"/)

    await page.evaluate(`document.querySelector('${operation}').scrollIntoView()`)
    const shot = path.join(tmpdir(), `waplug-docs-${process.pid}.png`) as `${string}.png`
    await page.screenshot({ path: shot })
    console.log(`screenshot of /docs after "Try it out" on GET /sessions: ${shot}`)
    assert.deepEqual(outside, [], 'the page loads nothing from outside this server')
    assert.deepEqual(problems, [])
    await page.close()
  })

  it('asks for a key first when the description is not public (http.openapi.public false), then shows the routes', async () => {
    const h: Harness = await startHarness({ config: { http: { openapi: { public: false } } } })
    try {
      const page = await browser.newPage()
      const problems = watchProblems(page)
      await page.goto(`${h.url}/docs`, { waitUntil: 'networkidle0' })
      await page.waitForSelector('#key-form:not([hidden])')
      assert.equal(await page.$('.opblock'), null, 'no route is shown before a key')
      await page.type('#key-form input', 'not-the-key-at-all')
      await page.click('#key-form button')
      await page.waitForFunction(`document.querySelector('.waplug-error').textContent !== ''`)
      assert.match((await page.evaluate(`document.querySelector('.waplug-error').textContent`)) as string, /Invalid or missing authentication/)
      await page.evaluate(`document.querySelector('#key-form input').value = ''`)
      await page.type('#key-form input', API_KEY)
      await page.click('#key-form button')
      await page.waitForSelector('.opblock-summary-path')
      assert.ok((await page.$$('.opblock')).length > 10)
      // The one 401 above is the wrong key, as the browser reports every failed fetch.
      assert.deepEqual(
        problems.filter((problem) => !problem.includes('401')),
        [],
      )
      await page.close()
    } finally {
      await h.close()
    }
  })
})
