"""`python -m insatskollen build|check`: see insatskollen.cli."""

from insatskollen.cli import main

raise SystemExit(main())
