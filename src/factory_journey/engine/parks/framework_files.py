"""Which framework judges which park: the packaged files of `reference/data/park_frameworks/`
(or an operator's), one base framework and the overlays of each park's country."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from factory_journey.engine.parks.framework_schema import (
    Framework,
    FrameworkError,
    parse_framework,
    unknown_questions,
    with_overlays,
)
from factory_journey.reference.loader import data_dir, parse_yaml

FRAMEWORK_FOLDER = "park_frameworks"


@dataclass(frozen=True)
class FrameworkSet:
    """A base framework, its overlays, and what every result records about them."""

    base: Framework
    overlays: tuple[Framework, ...] = ()
    #: file name → sha256 of the bytes read
    files: dict[str, str] = field(default_factory=dict)

    def for_country(self, iso2: str | None) -> tuple[Framework, dict[str, str]]:
        """The base with the overlays of `iso2`, and requirement id → id of its file."""
        chosen = [o for o in self.overlays if iso2 and iso2.upper() in
                  {c.upper() for c in o.meta.countries}]
        origin = {r.id: o.meta.id for o in chosen for p in o.pillars for r in p.requirements}
        return with_overlays(self.base, chosen), origin

    def versions(self) -> dict[str, str]:
        return {f"park_framework:{f.meta.id}": f.meta.version
                for f in (self.base, *self.overlays)}


def read_framework_file(path: Path) -> tuple[Framework, str]:
    """One framework file checked, and the sha256 of its bytes; `FrameworkError` otherwise."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FrameworkError([f"{path}: cannot be read ({error.strerror})"]) from None
    try:
        document = parse_yaml(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise FrameworkError([f"{path}: not UTF-8 text"]) from None
    except yaml.YAMLError as error:
        raise FrameworkError([f"{path}: not valid YAML ({error})"]) from None
    return parse_framework(document, path.name), hashlib.sha256(data).hexdigest()


def framework_set(paths: list[Path]) -> FrameworkSet:
    """Exactly one base framework among `paths` and any overlays that extend it."""
    read = [(p, *read_framework_file(p)) for p in paths]
    bases = [(p, f) for p, f, _ in read if f.meta.kind == "framework"]
    if len(bases) != 1:
        raise FrameworkError([
            f"{len(bases)} base frameworks given ({', '.join(p.name for p, _ in bases) or 'none'}"
            "); exactly one file of kind: framework is needed, overlays beside it"])
    base = bases[0][1]
    overlays = tuple(f for _, f, _ in read if f.meta.kind == "overlay")
    problems = [f"overlay {o.meta.id!r} extends {o.meta.extends!r}, not {base.meta.id!r}"
                for o in overlays if o.meta.extends != base.meta.id]
    for overlay in overlays:  # every combination must hold together
        try:
            combined = with_overlays(base, [overlay])
        except FrameworkError as error:
            problems += error.messages
            continue
        problems += [f"requirement {r} asks a question no framework file defines"
                     for r in unknown_questions(combined)]
    if not overlays:
        problems += [f"requirement {r} asks a question no framework file defines"
                     for r in unknown_questions(base)]
    if problems:
        raise FrameworkError(problems)
    return FrameworkSet(base, overlays, {p.name: digest for p, _, digest in read})


def packaged_framework_paths() -> list[Path]:
    """The framework files shipped in `reference/data/park_frameworks/`."""
    folder = data_dir() / FRAMEWORK_FOLDER
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []
