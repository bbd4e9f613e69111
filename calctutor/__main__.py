"""``python -m calctutor``."""

from calctutor.cli import main

if __name__ == "__main__":
    main()
