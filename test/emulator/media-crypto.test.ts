// The contacts' media check (node:crypto) against Baileys' own encryption:
// it reads what Baileys encrypts, and refuses a blob that was tampered with.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { encryptedStream } from '@whiskeysockets/baileys'
import { decryptMedia, encryptMedia, sha256 } from '../../emulator/media/media-crypto.js'

void test('a blob Baileys encrypted decrypts with its media key; a flipped byte or a wrong hash is refused, saying which', async () => {
  const plain = randomBytes(4001)
  const out = await encryptedStream(plain, 'document')
  const enc = await readFile(out.encFilePath)
  await rm(out.encFilePath, { force: true })
  const expected = { fileSha256: out.fileSha256, fileEncSha256: out.fileEncSha256, fileLength: out.fileLength }
  assert.ok(decryptMedia(enc, out.mediaKey, 'document', expected).equals(plain))

  const flipped = Buffer.from(enc)
  flipped[10]! ^= 1
  assert.throws(() => decryptMedia(flipped, out.mediaKey, 'document'), /mac does not verify/)
  assert.throws(() => decryptMedia(flipped, out.mediaKey, 'document', expected), /fileEncSha256/)
  assert.throws(() => decryptMedia(enc, out.mediaKey, 'image'), /mac does not verify/)
  assert.throws(() => decryptMedia(enc, out.mediaKey, 'document', { fileSha256: sha256(randomBytes(8)) }), /fileSha256/)
})

void test('what the contacts encrypt has the shape Baileys produces: 10-byte mac after whole AES blocks, hashes over plain and blob', () => {
  const plain = randomBytes(33)
  const e = encryptMedia(plain, 'image')
  assert.equal(e.enc.length, 48 + 10)
  assert.ok(e.fileEncSha256.equals(sha256(e.enc)))
  assert.ok(decryptMedia(e.enc, e.mediaKey, 'image', e).equals(plain))
})
