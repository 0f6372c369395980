// Modules installed on top of the built-in ones. The Signal layer lives in
// its own folder with its own owner and is found at run time, so the core
// builds and runs with or without it.
import type { Extension } from './api.js'

const SIGNAL_MODULE = './signal/index.js'

export async function loadSignalLayer(): Promise<Extension | undefined> {
  try {
    const mod = (await import(SIGNAL_MODULE)) as { installSignal?: Extension }
    return mod.installSignal
  } catch (err) {
    const e = err as { code?: string; message?: string }
    if (e.code === 'ERR_MODULE_NOT_FOUND' && (e.message ?? '').includes('signal')) return undefined
    throw err
  }
}
