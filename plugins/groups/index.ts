import { definePlugin } from 'waplug'
import { createGroup } from './actions/create-group.js'
import { groupInfo } from './actions/group-info.js'

export default definePlugin({
  name: 'groups',
  version: '0.1.0',
  setup(plugin) {
    plugin.action(createGroup)
    plugin.action(groupInfo)
  },
})
