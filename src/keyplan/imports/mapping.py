"""Column mappings: ``--map target=column`` pairs and saved mapping files (TOML).

A mapping file::

    kind = "sales"                 # optional: which kind it is for
    date_format = "dmy"            # optional: how to read ambiguous dates
    [map]                          # canonical field = column in the file
    account = "Customer No"
    amount = "Net Value"
    [stage]                        # optional: source stage name = open | won | lost
    "Signed" = "won"
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from keyplan.imports.engine import ImportFailed

STATUSES = {"open", "won", "lost"}


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    kind: str | None = None


def parse_pairs(pairs: list[str], *, what: str) -> dict[str, str]:
    result = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise ImportFailed(f"{what} “{pair}” must look like NAME=VALUE.")
        key, value = pair.split("=", 1)
        result[key.strip()] = value.strip()
    return result


def stage_pairs(pairs: dict[str, str]) -> dict[str, str]:
    from keyplan.imports.values import normalise_key

    result = {}
    for source, status in pairs.items():
        if status.lower() not in STATUSES:
            raise ImportFailed(f"Stage “{source}” must map to open, won or lost, not “{status}”.")
        result[normalise_key(source)] = status.lower()
    return result


def load_mapping_file(path) -> Mapping:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportFailed(f"There is no mapping file {path}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"The mapping file {path.name} is not valid TOML: {exc}.") from None
    columns = data.get("map", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ImportFailed(f'In {path.name}, [map] must hold field = "column" pairs.')
    stages = data.get("stage", {})
    if not isinstance(stages, dict):
        raise ImportFailed(f'In {path.name}, [stage] must hold "name" = "open|won|lost" pairs.')
    return Mapping(
        columns=dict(columns),
        stages=stage_pairs({str(k): str(v) for k, v in stages.items()}),
        date_format=data.get("date_format"),
        kind=data.get("kind"),
    )


def dump_mapping(mapping: Mapping) -> str:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = []
    if mapping.kind:
        lines.append(f"kind = {q(mapping.kind)}")
    if mapping.date_format:
        lines.append(f"date_format = {q(mapping.date_format)}")
    lines.append("[map]")
    lines += [f"{k} = {q(v)}" for k, v in mapping.columns.items()]
    if mapping.stages:
        lines.append("[stage]")
        lines += [f"{q(k)} = {q(v)}" for k, v in mapping.stages.items()]
    return "\n".join(lines) + "\n"
