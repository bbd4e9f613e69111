"""Views of the quiz results (registered with ``calctutor.render.views.register``)."""

from __future__ import annotations
