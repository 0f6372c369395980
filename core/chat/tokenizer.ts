/** Straight and typographic double quotes: phones turn " into “ ” as people type. */
const QUOTES = new Set(['"', '“', '”', '„', '‟'])

/** A word of a command line, and where it stands in the line (`end` is past its last character). */
export interface Token {
  text: string
  start: number
  end: number
}

/**
 * Splits a command line into words: whitespace separates, double quotes (straight
 * or smart) group, a backslash takes the next character literally. An unclosed
 * quote runs to the end of the line — on a phone that is what was meant.
 */
export function tokenize(line: string): string[] {
  return scan(line).map((token) => token.text)
}

/** The words of a line with their places, so that free text can be taken from the line as typed. */
export function scan(line: string): Token[] {
  const tokens: Token[] = []
  let word = ''
  let start = -1
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string
    if (!quoted && /\s/.test(char)) {
      if (start >= 0) tokens.push({ text: word, start, end: i })
      word = ''
      start = -1
      continue
    }
    if (start < 0) start = i
    if (char === '\\' && i + 1 < line.length) word += line[++i]
    else if (QUOTES.has(char)) quoted = !quoted
    else word += char
  }
  if (start >= 0) tokens.push({ text: word, start, end: line.length })
  return tokens
}

/** Whether the token is one quoted stretch, as in `"My Group"`, so that the quotes are not part of what was meant. */
export function whollyQuoted(line: string, token: Token): boolean {
  return QUOTES.has(line[token.start] as string) && QUOTES.has(line[token.end - 1] as string) && token.end - token.start >= 2
}
