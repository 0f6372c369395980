// Loaded into every test process (see the test:unit script): the emulator's
// contacts and the tests' own Baileys clients use libsignal too, and its
// console lines print whole session records, keys included.
import { routeLibsignalConsole } from '../../core/whatsapp/libsignal-console.js'

routeLibsignalConsole()
