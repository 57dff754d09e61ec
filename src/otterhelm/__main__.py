from otterhelm.cli.main import main

raise SystemExit(main())
