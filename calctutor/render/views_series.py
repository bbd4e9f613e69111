"""Views of the series results (registered with ``calctutor.render.views.register``)."""

from __future__ import annotations
