"""The differentiation engine: tracing (``tracer``) and the two modes (``core``).
It knows nothing of NumPy's functions."""
