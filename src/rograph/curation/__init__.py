"""The curator's workflow: registering sources (:mod:`.registry`) and reviewing what a change
does to the graph (:mod:`.diff`); their commands are in :mod:`.cli`."""
