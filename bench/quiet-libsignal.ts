// Imported first by each bench entry point: the emulator's contacts run
// libsignal in the bench's own process, and its console lines print whole
// session records, private keys included. Taken off the console here, as the
// runtime does for its own sessions and the test suite for its processes.
import { routeLibsignalConsole } from '../core/whatsapp/libsignal-console.js'

routeLibsignalConsole()
