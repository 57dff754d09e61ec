from otterhelm.startup import launch

raise SystemExit(launch())
