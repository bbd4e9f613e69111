"""Gradients, Jacobians and Hessians, with the classification of stationary points (module 2)."""
