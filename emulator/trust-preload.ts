// `node --import tsx --import ./emulator/trust-preload.ts child.ts` makes a
// child process trust the emulator (its noise chain and its media host),
// without the child's code knowing.
import { installEmulatorTrust, mediaTrustReady } from './trust.js'

installEmulatorTrust()
await mediaTrustReady()
