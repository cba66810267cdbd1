"""`python -m bot` is the same as the `drugbot` command."""

from bot.cli import main

raise SystemExit(main())
