"""`python -m modegraph` runs the command line."""

from modegraph.cli import main

main()
