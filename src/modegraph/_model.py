"""The base of modegraph's frozen pydantic models (imports pydantic only)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["FrozenModel"]


class FrozenModel(BaseModel):
    """A pydantic model that is immutable and refuses unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
