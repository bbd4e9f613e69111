"""Gradient descent, Lagrange multipliers and least-squares fitting (modules 5 and 6)."""
