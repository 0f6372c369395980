// Every relative link in README.md and docs/*.md leads to a file that exists,
// and every #anchor to a heading of the page it names, so moving or renaming a
// page or a heading cannot leave a reader at a dead end.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const REPO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Pages being written on other branches, linked already. While one is missing its
 * links are let through (anchors into it cannot be checked); once it exists it is
 * checked like any other. Remove an entry when its page has landed.
 */
const EXPECTED_FROM_OTHER_BRANCHES = ['docs/messages.md', 'docs/deployment.md', 'docs/cli.md', 'docs/openapi.md', 'docs/http-reference.md']

const pages = ['README.md', ...readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]

/** The text outside fenced code blocks, with inline code blanked, so code that looks like a link is not one. */
function prose(markdown: string): string {
  return markdown
    .split(/^```[^\n]*\n[\s\S]*?^```$/m)
    .join('\n')
    .replace(/`[^`\n]*`/g, '``')
}

/** Inline links and images: `[text](target)`, with an optional "title". */
function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '')
}

/** The anchors GitHub makes for a page's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const [, heading] of markdown.split(/^```[^\n]*\n[\s\S]*?^```$/m).join('\n').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = (heading ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    out.add(count === 0 ? base : `${base}-${count}`)
  }
  return out
}

interface Dead {
  page: string
  link: string
  why: string
}

function deadLinks(): Dead[] {
  const dead: Dead[] = []
  for (const page of pages) {
    const text = readFileSync(path.join(REPO, page), 'utf8')
    for (const link of links(text)) {
      if (/^[a-z][a-z+.-]*:/i.test(link)) continue // https:, mailto: and the like: not ours to check offline
      const [file = '', anchor] = link.split('#', 2)
      const target = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), decodeURI(file)))
      if (!existsSync(path.join(REPO, target))) {
        if (!EXPECTED_FROM_OTHER_BRANCHES.includes(target)) dead.push({ page, link, why: `${target} does not exist` })
        continue
      }
      if (anchor !== undefined && target.endsWith('.md') && !anchors(readFileSync(path.join(REPO, target), 'utf8')).has(anchor)) {
        dead.push({ page, link, why: `${target} has no heading whose anchor is #${anchor}` })
      }
    }
  }
  return dead
}

describe('links in README.md and docs/', () => {
  it('finds the links it is meant to check', () => {
    // A parser that found nothing would pass everything.
    const readme = links(readFileSync(path.join(REPO, 'README.md'), 'utf8'))
    assert.ok(readme.includes('docs/README.md'), 'README.md links docs/README.md')
    assert.ok(readme.filter((l) => l.startsWith('docs/')).length >= 10)
  })

  it('makes the anchors GitHub makes', () => {
    const made = anchors('# Retrying safely: `Idempotency-Key`\n## 2. Install waplug\n## What the figures say\n## What the figures say\n```sh\n# not a heading\n```\n')
    assert.deepEqual([...made], ['retrying-safely-idempotency-key', '2-install-waplug', 'what-the-figures-say', 'what-the-figures-say-1'])
  })

  it('leads every relative link to a file that exists, and every #anchor to a heading there', () => {
    assert.deepEqual(deadLinks(), [])
  })

  it('lists in docs/README.md every page of docs/', () => {
    const index = links(readFileSync(path.join(REPO, 'docs', 'README.md'), 'utf8'))
    const unlisted = pages.filter((p) => p.startsWith('docs/') && p !== 'docs/README.md' && !index.some((l) => `docs/${l.split('#')[0]}` === p))
    assert.deepEqual(unlisted, [])
  })
})
