"""The pydantic models of the core modules, loaded on first use (docs/design.md).

Import them from their public modules (:mod:`mot_cua.hours`, :mod:`mot_cua.limits`,
:mod:`mot_cua.calendar`, :mod:`mot_cua.deadlines`), which load them when a model is first asked
for; ``__module__`` is not rewritten, so pydantic resolves each model's annotations here.
"""
