"""What each CLI command does, as plain library functions: text in, result object out.

The Typer layer (calctutor/cli.py) only collects options and hands them here; these
functions never print, so they can be called from tests, the quiz, or other programs.
"""
