"""Views of the drills results (registered with ``calctutor.render.views.register``)."""

from __future__ import annotations
