/** Straight and typographic double quotes: phones turn " into “ ” as people type. */
const QUOTES = new Set(['"', '“', '”', '„', '‟'])

/**
 * Splits a command line into words: whitespace separates, double quotes (straight
 * or smart) group, a backslash takes the next character literally. An unclosed
 * quote runs to the end of the line — on a phone that is what was meant.
 */
export function tokenize(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string
    if (char === '\\' && i + 1 < line.length) {
      word += line[++i]
      inWord = true
    } else if (QUOTES.has(char)) {
      quoted = !quoted
      inWord = true
    } else if (!quoted && /\s/.test(char)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += char
      inWord = true
    }
  }
  if (inWord) words.push(word)
  return words
}
