// Reading and writing the byte fields of key and message stanzas.
import { getBinaryNodeChild } from '@whiskeysockets/baileys'
import type { BinaryNode } from '@whiskeysockets/baileys'

export function contentBytes(node: BinaryNode | undefined): Buffer | undefined {
  const c = node?.content
  if (c === undefined || Array.isArray(c)) return undefined
  return typeof c === 'string' ? Buffer.from(c, 'utf-8') : Buffer.from(c)
}

export function childBytes(node: BinaryNode | undefined, tag: string): Buffer | undefined {
  return contentBytes(getBinaryNodeChild(node, tag))
}

export function childUInt(node: BinaryNode | undefined, tag: string): number | undefined {
  const b = childBytes(node, tag)
  if (!b || b.length === 0 || b.length > 6) return undefined
  return b.readUIntBE(0, b.length)
}

export function uintBytes(value: number, length: number): Buffer {
  const b = Buffer.alloc(length)
  b.writeUIntBE(value, 0, length)
  return b
}

export function childrenOf(node: BinaryNode | undefined, tag?: string): BinaryNode[] {
  if (!node || !Array.isArray(node.content)) return []
  return tag === undefined ? node.content : node.content.filter((c) => c.tag === tag)
}
