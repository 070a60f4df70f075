"""`python -m eternal`: the `eternal` command, for environments without the console script."""

from eternal.cli.app import main

main()
