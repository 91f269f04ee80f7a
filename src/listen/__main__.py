"""``python -m listen`` and the ``listen`` command.

Ctrl-C while the command line is still loading gets the same one line and exit
code 130 as Ctrl-C during a render, not a traceback.
"""

import sys


def main() -> None:
    try:
        from listen.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted before anything was written\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
