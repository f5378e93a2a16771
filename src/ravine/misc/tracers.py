"""autograd's module path ``autograd.misc.tracers`` for ``const_graph``; it lives in
:mod:`ravine.misc.replay`."""

from ravine.misc.replay import const_graph

__all__ = ["const_graph"]
