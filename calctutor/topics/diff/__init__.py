"""``calctutor diff``: derivatives rule by rule, or from first principles (module 1)."""
