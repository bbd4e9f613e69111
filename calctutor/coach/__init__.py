"""The quiz: an interactive session over generated exercises, a progress store, spaced review.

``store`` keeps every judged answer in SQLite the moment it is judged; ``schedule`` replays
those answers through FSRS, per skill, into a review date and a mastery label; ``session``
is the quiz loop (input and output injected, producing data); ``engine`` does the maths of
each item in the sandbox, away from the process that owns the terminal and the database;
``views`` builds every document and message the quiz shows; ``plan`` chooses what a review
asks; ``path`` holds the course's prerequisite rule, what "weak" means, and what the tutor
asks next when no module is given.
"""
