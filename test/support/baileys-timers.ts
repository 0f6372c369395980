// The workaround lives with the testing kit, which plugin authors' tests load too.
import '../../core/testing/baileys-timers.js'
