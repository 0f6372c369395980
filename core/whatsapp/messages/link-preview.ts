import { fetchMedia, type MediaFetchLimits } from './media-fetch.js'

/** A page's head is enough for its title; more is not read. */
const PAGE_BYTES = 256 * 1024
const PAGE_TIMEOUT_MS = 5000
const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/i

/**
 * A preview (title and description) of the first link in a text, fetched
 * like media from a URL: the same address checks, a small size and a short
 * time. No thumbnail. Undefined when there is no link or the page gives no title.
 */
export async function linkPreviewOf(text: string, limits: MediaFetchLimits): Promise<{ 'canonical-url': string; 'matched-text': string; title: string; description?: string } | undefined> {
  const url = URL_IN_TEXT.exec(text)?.[0]
  if (!url) return undefined
  let html = ''
  try {
    const { stream } = await fetchMedia(url, { ...limits, maxBytes: Number.MAX_SAFE_INTEGER, timeoutMs: Math.min(limits.timeoutMs, PAGE_TIMEOUT_MS) })
    for await (const chunk of stream) {
      html += (chunk as Buffer).toString('utf8')
      if (html.length >= PAGE_BYTES) break
    }
    stream.destroy()
  } catch {
    return undefined
  }
  const title = meta(html, 'og:title') ?? /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim()
  if (!title) return undefined
  const description = meta(html, 'og:description') ?? meta(html, 'description')
  return { 'canonical-url': url, 'matched-text': url, title: unescape(title), ...(description ? { description: unescape(description) } : {}) }
}

function meta(html: string, name: string): string | undefined {
  const tag = new RegExp(`<meta[^>]+(?:property|name)=["']${name}["'][^>]*>`, 'i').exec(html)?.[0]
  return tag ? /content=["']([^"']*)["']/i.exec(tag)?.[1]?.trim() || undefined : undefined
}

function unescape(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
}
