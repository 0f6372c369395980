// scripts/apply-patches.mjs on a package of its own, in a folder laid out as npm lays out a bot:
// applied once, recognised after, and a patch that does not fit changes nothing.
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { applyPatches } from '../../scripts/apply-patches.mjs'

const PATCH = `diff --git a/node_modules/tiny/a.js b/node_modules/tiny/a.js
index 1111111..2222222 100644
--- a/node_modules/tiny/a.js
+++ b/node_modules/tiny/a.js
@@ -1,3 +1,3 @@
 const one = 1
-const two = 2
+const two = 'two'
 module.exports = { one, two }
diff --git a/node_modules/tiny/b.js b/node_modules/tiny/b.js
index 3333333..4444444 100644
--- a/node_modules/tiny/b.js
+++ b/node_modules/tiny/b.js
@@ -1,2 +1,2 @@
-exports.b = 'before'
+exports.b = 'after'
 exports.c = 3
`
const A = 'const one = 1\nconst two = 2\nmodule.exports = { one, two }\n'
const B = "exports.b = 'before'\nexports.c = 3\n"

let root: string
const pkg = (file: string) => path.join(root, 'node_modules', 'tiny', file)
const read = (file: string) => readFileSync(pkg(file), 'utf8')

beforeEach(() => {
  // A bot's folder: its package.json, the package hoisted into its node_modules, waplug's patches elsewhere.
  root = mkdtempSync(path.join(tmpdir(), 'waplug-patch-'))
  writeFileSync(path.join(root, 'package.json'), '{"name":"bot","version":"1.0.0"}')
  mkdirSync(path.join(root, 'node_modules', 'tiny'), { recursive: true })
  writeFileSync(pkg('package.json'), '{"name":"tiny","version":"1.0.0","main":"a.js"}')
  writeFileSync(pkg('a.js'), A)
  writeFileSync(pkg('b.js'), B)
  mkdirSync(path.join(root, 'patches'))
  writeFileSync(path.join(root, 'patches', 'tiny+1.0.0.patch'), PATCH)
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('apply-patches', () => {
  it('patches the copy Node resolves, then recognises it as patched', () => {
    assert.deepEqual(applyPatches({ root }), [`tiny 1.0.0 in ${path.join(root, 'node_modules', 'tiny')}: patched 2 file(s)`])
    assert.equal(read('a.js'), A.replace('= 2', "= 'two'"))
    assert.equal(read('b.js'), B.replace('before', 'after'))
    assert.deepEqual(applyPatches({ root }), [`tiny 1.0.0 in ${path.join(root, 'node_modules', 'tiny')}: 2 file(s) already patched`])
    assert.equal(read('b.js'), B.replace('before', 'after'), 'applying twice changes nothing')
  })

  it('writes no file of a package when one of them does not fit, and says what to do', () => {
    writeFileSync(pkg('b.js'), "exports.b = 'changed by someone'\nexports.c = 3\n")
    assert.throws(() => applyPatches({ root }), /tiny\+1\.0\.0\.patch does not fit .*b\.js: the file was changed by something else; reinstall tiny/)
    assert.equal(read('a.js'), A, 'a.js, which fitted, is left as it was')
  })

  it('refuses another version than the patch was made for', () => {
    writeFileSync(pkg('package.json'), '{"name":"tiny","version":"1.0.1","main":"a.js"}')
    assert.throws(() => applyPatches({ root }), /patch tiny\+1\.0\.0\.patch is for tiny 1\.0\.0, but 1\.0\.1 is installed/)
    assert.equal(read('a.js'), A)
  })

  it('says so when the package is not installed', () => {
    rmSync(path.join(root, 'node_modules', 'tiny'), { recursive: true })
    assert.throws(() => applyPatches({ root }), /tiny is not installed where waplug can load it; run npm install/)
  })
})
