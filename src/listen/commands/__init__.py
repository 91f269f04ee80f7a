"""The command line's commands, by group: each module a typer face over the code that
does the work; ``listen.cli`` holds the ``listen`` app and registers them in the order
``listen --help`` lists them."""
