/** The session every unprefixed route and `plugin.whatsapp` act on; a single-number bot has only this one. */
export const DEFAULT_SESSION = 'default'

export const SESSION_ID = /^[a-z0-9_-]{1,32}$/

export const SESSION_ID_RULE = 'lower-case letters, digits, _ and -, at most 32 characters'
