"""The built-in output schemas (v1 contract): `BUILTIN_SCHEMAS` maps `--schema NAME` to a model."""

from __future__ import annotations

from summarise_schemas.actions import ActionsResult
from summarise_schemas.actors import ActorsResult
from summarise_schemas.blocks import ResultModel
from summarise_schemas.positions import PositionsResult

BUILTIN_SCHEMAS: dict[str, type[ResultModel]] = {
    model.schema_name: model for model in (ActorsResult, PositionsResult, ActionsResult)
}

__all__ = ["BUILTIN_SCHEMAS", "ActionsResult", "ActorsResult", "PositionsResult", "ResultModel"]
