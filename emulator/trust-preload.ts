// `node --import tsx --import ./emulator/trust-preload.ts child.ts` makes a
// child process trust the emulator, without the child's code knowing.
import { installEmulatorTrust } from './trust.js'

installEmulatorTrust()
