/** The files of a bot folder, as `waplug init` writes them. */

export function botPackageJson(name: string, waplugSpec: string, tsxRange: string): string {
  return `${JSON.stringify(
    {
      name,
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: {
        start: 'waplug start',
        sandbox: 'waplug sandbox',
        test: 'node --import tsx --test plugins/*/test/*.test.ts',
        // A bot's own install scripts always run, and find Baileys wherever npm put it.
        postinstall: 'waplug patch',
      },
      dependencies: { waplug: waplugSpec },
      devDependencies: { tsx: tsxRange },
    },
    null,
    2,
  )}\n`
}

export const BOT_CONFIG = `// This bot's settings. Anything left out keeps waplug's default
// (node_modules/waplug/config/default.json). The environment wins over this
// file: PORT, API_KEY, DATA_DIR, LOG_LEVEL, OWNERS, ... Comments are allowed.
{
  // Phone numbers (country code and number, digits only) that may use owner-only commands.
  "owners": [],

  "http": {
    // Where the HTTP API listens. With no apiKeys (and no API_KEY), a key is
    // generated at the first start, printed once and kept in the data folder.
    "port": 7001
  },

  // Where sessions and plugin data live; keep it out of git and back it up.
  "dataDir": "./data",

  // Plugins to load beside the built-in ones: a path, or an installed package's name.
  "plugins": ["./plugins/hello"],

  // Each plugin's options, by plugin name.
  "pluginOptions": {
    "hello": { "greeting": "Hello" }
  },

  // GET /metrics for Prometheus. Set requireKey to true unless only your
  // scraper can reach this port.
  "metrics": { "enabled": true, "requireKey": false }
}
`

export const GITIGNORE = `node_modules/
# Sessions (WhatsApp credentials), stores and the generated API key.
data/
*.tgz
`

export const NPMRC = `# Baileys lists sharp (an image library with ~20 MB of native code) as a
# required peer, though it is only used for media thumbnails. Without this
# line npm installs it; to have thumbnails, run: npm install sharp
legacy-peer-deps=true
`

export function botReadme(name: string): string {
  return `# ${name}

A WhatsApp bot on waplug.

    npm install
    npm run sandbox     # try it on an emulated WhatsApp
    npm test            # the plugins' tests
    npm start           # the real thing: scan the QR code with the bot's phone

Settings: \`config/local.json\`. Plugins: \`plugins/\` (\`npx waplug plugin new <name>\` adds one).
`
}
