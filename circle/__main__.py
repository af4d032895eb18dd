from circle.cli import main

raise SystemExit(main())
