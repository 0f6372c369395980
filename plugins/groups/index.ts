import { definePlugin } from 'waplug'
import { createGroup } from './actions/create-group.js'
import { groupInfo } from './actions/group-info.js'
import { groupSettings } from './actions/group-settings.js'
import { setDescription, setSubject } from './actions/group-text.js'
import { getInvite, revokeInvite } from './actions/invite-link.js'
import { joinGroup, previewInvite } from './actions/join-group.js'
import { approveRequests, listRequests, rejectRequests } from './actions/join-requests.js'
import { leaveGroup } from './actions/leave-group.js'
import { listGroups } from './actions/list-groups.js'
import { participantActions } from './actions/participants.js'

export default definePlugin({
  name: 'groups',
  version: '0.1.0',
  setup(plugin) {
    plugin.action(listGroups)
    plugin.action(createGroup)
    plugin.action(groupInfo)
    for (const action of participantActions) plugin.action(action)
    plugin.action(leaveGroup)
    plugin.action(setSubject)
    plugin.action(setDescription)
    plugin.action(groupSettings)
    plugin.action(getInvite)
    plugin.action(revokeInvite)
    plugin.action(previewInvite)
    plugin.action(joinGroup)
    plugin.action(listRequests)
    plugin.action(approveRequests)
    plugin.action(rejectRequests)
  },
})
