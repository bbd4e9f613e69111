"""The step model and the step-by-step differentiator."""
