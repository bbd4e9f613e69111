"""The multivariate chain rule and backpropagation through a small network (module 3)."""
