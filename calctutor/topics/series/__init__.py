"""Taylor series and Newton-Raphson (modules 4 and 5)."""
