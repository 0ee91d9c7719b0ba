"""``python -m analogscan.cli``."""

from . import main

main(prog_name="analogscan")  # `python -m analogscan.cli` says "analogscan" in usage lines too
