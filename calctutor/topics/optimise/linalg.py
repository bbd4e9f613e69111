"""Small dense linear algebra in floats, shared by the numerical searches (Lagrange's
Newton steps, the fit's normal equations): no NumPy needed for a few unknowns."""

from __future__ import annotations


def linear_solve(A, b, tol: float = 1e-14):
    """Gaussian elimination with partial pivoting; None for a singular matrix (a pivot
    below ``tol`` times the largest entry)."""
    n = len(b)
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    scale = max((abs(v) for row in A for v in row), default=0.0)
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        if abs(M[p][c]) <= tol * scale or scale == 0:
            return None
        M[c], M[p] = M[p], M[c]
        for r in range(c + 1, n):
            k = M[r][c] / M[c][c]
            for j in range(c, n + 1):
                M[r][j] -= k * M[c][j]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (M[r][n] - sum(M[r][j] * x[j] for j in range(r + 1, n))) / M[r][r]
    return x
