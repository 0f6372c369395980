// Small helpers over Baileys' BinaryNode so handlers read like the stanzas
// they build, and so no handler has to narrow `content` by hand.
import type { BinaryNode } from '@whiskeysockets/baileys'

export type { BinaryNode }

export function children(node: BinaryNode | undefined, tag?: string): BinaryNode[] {
  if (!node || !Array.isArray(node.content)) return []
  return tag === undefined ? node.content : node.content.filter((c) => c.tag === tag)
}

export function child(node: BinaryNode | undefined, tag: string): BinaryNode | undefined {
  return children(node, tag)[0]
}

export function firstChild(node: BinaryNode | undefined): BinaryNode | undefined {
  return children(node)[0]
}

/** Content as bytes; strings are utf-8 because that is how Baileys encodes them. */
export function bytes(node: BinaryNode | undefined): Buffer | undefined {
  const c = node?.content
  if (c === undefined || Array.isArray(c)) return undefined
  return typeof c === 'string' ? Buffer.from(c, 'utf-8') : Buffer.from(c)
}

export function text(node: BinaryNode | undefined): string | undefined {
  return bytes(node)?.toString('utf-8')
}

export function node(tag: string, attrs: Record<string, string | undefined> = {}, content?: BinaryNode['content']): BinaryNode {
  // undefined attributes would be encoded as the string "undefined" by some
  // code paths, so they are dropped here once for everyone.
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v
  return content === undefined ? { tag, attrs: clean } : { tag, attrs: clean, content }
}
