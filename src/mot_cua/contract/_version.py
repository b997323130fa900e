"""The version of the JSON contract (imports nothing, so ``mot-cua --version`` stays cheap)."""

from __future__ import annotations

__all__ = ["CONTRACT_VERSION"]

#: Version of the JSON contract (inputs, outputs, error objects). Minor: additions only;
#: major: a removed or changed field (see docs/contract.md).
CONTRACT_VERSION = "1.0"
