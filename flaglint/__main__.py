"""``python -m flaglint`` behaves exactly like ``flaglint``."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="flaglint")
