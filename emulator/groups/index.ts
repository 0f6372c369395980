import type { EmulatorHost } from '../server/host.js'
import type { Group } from '../world/group.js'

export function installGroups(_host: EmulatorHost): { createAs(creatorPhone: string, subject: string, members: string[], botIsAdmin: boolean): Group } {
  return {
    createAs() {
      throw new Error('not yet')
    },
  }
}
