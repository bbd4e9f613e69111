"""``calctutor equiv``: are two expressions the same function? (The engine is ``checking.equivalence``; its view is ``render.verdicts``.)"""
