// The Dockerfile, checked the only way this machine allows (no image can be built:
// there is no registry for base images). A maintained linter reads it; then its
// runtime stage is replayed in a clean folder: its COPY lines (dist/ from the packed
// package, standing in for the build stage), its install command (npm ci --omit=dev,
// offline from npm's cache), its ENV, CMD and HEALTHCHECK. About 40 s.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DockerfileParser, type Copy, type Env, type Instruction } from 'dockerfile-ast'
import { validate } from 'dockerfile-utils'
import { runToEnd } from '../support/capture.js'
import { installedNames, packWaplug, repoLock, withAddresses } from '../support/installed-package.js'
import { REPO } from '../support/package.js'
import { freePort, startCommand } from '../support/started-command.js'

const text = readFileSync(path.join(REPO, 'Dockerfile'), 'utf8')
const dockerfile = DockerfileParser.parse(text)
const runtimeStart = dockerfile.getFROMs().at(-1)?.getRange().start.line ?? 0
/** The runtime stage's instructions: what the image is. */
const runtime = dockerfile.getInstructions().filter((instruction) => instruction.getRange().start.line >= runtimeStart)
const all = (keyword: string): Instruction[] => runtime.filter((instruction) => instruction.getKeyword() === keyword)
const execForm = (instruction: Instruction | undefined): string[] => JSON.parse(/(\[.*\])\s*$/s.exec(instruction?.getArgumentsContent() ?? '')?.[1] ?? '[]') as string[]
const env = Object.fromEntries(all('ENV').flatMap((instruction) => (instruction as Env).getProperties().map((p) => [p.getName(), p.getValue() ?? ''])))

let work: string
let app: string
let install: { code: number | null; output: string }

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'waplug-image-'))
  const tarball = packWaplug(work)
  const packed = path.join(work, 'packed')
  mkdirSync(packed)
  execFileSync('tar', ['xzf', tarball, '-C', packed, '--strip-components=1'])
  app = path.join(work, 'app')
  mkdirSync(app)
  for (const copy of all('COPY')) {
    const fromStage = (copy as Copy).getFromFlag() !== null
    const args = copy.getArguments().map((argument) => argument.getValue())
    const destination = path.join(app, args.at(-1) ?? '.')
    for (const source of args.slice(0, -1)) {
      // The build stage's /app/dist is the dist/ the package was packed with.
      const from = fromStage ? path.join(packed, path.relative('/app', source)) : path.join(REPO, source)
      const to = args.length > 2 || destination.endsWith('/') ? path.join(destination, path.basename(source)) : destination
      cpSync(from, to, { recursive: true })
    }
  }
  // Offline here, where the image build would reach the registry: the same lock, with its tarballs' addresses.
  writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify(withAddresses(repoLock()), null, 2))
  const installLine = all('RUN').map((run) => run.getArgumentsContent() ?? '').find((line) => line.includes('npm ci')) ?? ''
  // Only the install: `npm cache clean` would empty this machine's cache.
  const [npm, ...args] = (installLine.split('&&')[0] ?? '').trim().split(/\s+/)
  const { PATH, HOME } = process.env
  install = await runToEnd('env', [`PATH=${PATH ?? ''}`, `HOME=${HOME ?? ''}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), npm ?? 'npm', ...args, '--offline'], { cwd: app })
})
after(() => rmSync(work, { recursive: true, force: true }))

describe('the Dockerfile', () => {
  it('passes dockerfile-utils\' validator', () => {
    const message = (problem: { message: string | { value: string } }) => (typeof problem.message === 'string' ? problem.message : problem.message.value)
    assert.deepEqual(validate(text).map((problem) => `line ${problem.range.start.line + 1}: ${message(problem)}`), [])
  })

  it('builds in stages and runs as a non-root user, with /data as the data volume and a health check', () => {
    assert.ok(dockerfile.getFROMs().length >= 2, 'a build stage and a runtime stage')
    assert.ok(all('USER').length > 0 && !/^(root|0)$/.test(all('USER').at(-1)?.getArgumentsContent() ?? ''), 'not root')
    assert.equal(env.DATA_DIR, '/data')
    assert.match(all('VOLUME')[0]?.getArgumentsContent() ?? '', /"\/data"/)
    assert.deepEqual(execForm(all('CMD').at(-1)).slice(0, 1), ['node'], 'exec form: node is PID 1 and gets docker stop\'s SIGTERM itself')
    assert.ok(all('HEALTHCHECK').length === 1)
  })

  it('installs production dependencies only, patched, without sharp', async () => {
    assert.equal(install.code, 0, install.output)
    assert.match(install.output, /TypeScript is not installed \(production install\), so dist\/ is not rebuilt/)
    assert.match(install.output, /@whiskeysockets\/baileys 7\.0\.0-rc14 in .*: patched \d+ file\(s\)/)
    assert.match(install.output, /libsignal 6\.0\.0 in .*: patched \d+ file\(s\)/)
    const names = installedNames(app)
    assert.ok(!names.includes('typescript') && !names.includes('eslint') && !names.includes('patch-package'), 'no dev dependencies')
    assert.ok(!names.includes('sharp'))
  })

  it('starts with its CMD, answers its HEALTHCHECK, warns of no missing patch, and stops on SIGTERM', async () => {
    assert.ok(existsSync(path.join(app, 'dist', 'cli', 'main.js')))
    const port = await freePort()
    const closed = await freePort()
    const [command, ...args] = execForm(all('CMD').at(-1))
    // As the image runs it, but with a data folder and port of this test, and WhatsApp at a closed local port.
    const vars = { ...env, DATA_DIR: path.join(work, 'data'), PORT: String(port), API_KEY: 'image-key-0123456789abcdef', WA_WS_URL: `ws://127.0.0.1:${closed}`, WA_PRINT_QR: 'false' }
    const started = startCommand(command === 'node' ? process.execPath : (command ?? ''), args, { cwd: app, env: vars })
    try {
      await started.waitFor(/cannot reach WhatsApp/)
      const [checker, ...checkArgs] = execForm(all('HEALTHCHECK')[0])
      const health = await runToEnd('env', [`PORT=${port}`, checker === 'node' ? process.execPath : (checker ?? ''), ...checkArgs], { cwd: app })
      assert.equal(health.code, 0, `HEALTHCHECK failed: ${health.output}`)
      assert.doesNotMatch(started.output(), /is not patched/)
    } finally {
      assert.equal(await started.stop(), 0, started.output().slice(-2000))
    }
    assert.match(started.output(), /SIGTERM: stopping/)
  })
})
