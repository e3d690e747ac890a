"""Where the texts of upload problems come from: the messages and accepted texts that the
ingest code and the profile rules write, found in their source (AST), so that a new message
cannot be missed by the pages' catalogue. `problem_messages` gives the fixed texts;
`message_arguments` every text argument, which `problem_templates` reads as templates when it
is made from the data.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

#: The platform's own upload messages, read as the ingest's: an upload or a form refused
#: before it is read (`InvalidInput`, `TooLarge`, `Conflict`: a factory's or a park's dataset,
#: a programme's cohort or records), and what the platform adds to the ingest's problems.
_PLATFORM_FILES = ("services/platform/imports.py", "services/platform/upload_notices.py",
                   "services/platform/parks.py", "services/platform/cohorts.py")

#: The ingest calls whose text argument is a problem's message: `log.error(message, …)`,
#: `log.warning(message, …)`, `log.rows(…, message=…, summary=…)`, `Check(bad, column,
#: message, code, accepted)`, the profile plan's `check(…)` and the park reader's
#: `_refs(…, message=…)` alike; and every `accepted=`.
_MESSAGE_CALLS = frozenset({"error", "warning", "rows", "Check", "check", "_refs"})


def problem_messages() -> dict[str, str]:
    """The problem messages and "accepted" texts the ingest code writes as fixed text (made
    from no value of the data) → the ingest file that writes it (relative to the package).

    For the pages' shared catalogue (web/pages/catalogues.DATA_MESSAGES): a page shows a
    problem's message and accepted text in its reader's language when they are one of these;
    a message made from the data is read through its template (`problem_templates`). Read
    from the source files, so that a new fixed message cannot be missed by the catalogue's
    test."""
    from factory_journey.ingest import parse

    found: dict[str, str] = {}
    for node, where in message_arguments():
        for value in _fixed_texts(node):
            found.setdefault(value, where)
    # The type check's message and accepted text are made from a short table (validate.py:
    # f"Not {TYPE_WORDS[type]}"): each of its few texts is fixed too.
    for kind, word in parse.TYPE_WORDS.items():
        if kind in ("str", "list"):
            continue  # a text column has no type to miss
        found.setdefault(f"Not {word}", "ingest/validate.py")
        found.setdefault(parse.ACCEPTED_FORMS[kind], "ingest/parse.py")
    # The profile checks' accepted texts kept with the profile's columns (domain/profile.py:
    # `COUNTRY_ACCEPTED`, `OSH_ACCEPTED`), imported by the ingest code, not written in it.
    from factory_journey.domain import profile

    for name in sorted(vars(profile)):
        value = getattr(profile, name)
        if name.endswith("_ACCEPTED") and isinstance(value, str):
            found.setdefault(value, "domain/profile.py")
    return found


def problem_words() -> dict[str, str]:
    """The platform's own words that a message made from the data sets into its sentence (a
    quantity, a group of people, a dimension, the joints of a list) or that say what a column
    accepts, from every `*_PROBLEM_WORDS` constant of the ingest code, the profile rules and
    the dataset guidance → the file that holds it. A page translates them on their own
    (`problem_templates`); a word may hold a `{label}` of the data ("annual volume of
    {label}")."""
    from factory_journey import domain, ingest

    found: dict[str, str] = {}
    files = [(path, f"ingest/{path.name}")
             for path in sorted(Path(ingest.__file__).parent.glob("*.py"))]
    files.append((Path(domain.__file__).parent / "profile_rules.py", _RULES_FILE))
    # what a column accepts, as the guidance and an upload problem word it
    files.append((Path(__file__).parent / "dataset_guidance.py", "services/dataset_guidance.py"))
    for path, where in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _constants(tree, ("_PROBLEM_WORDS",)):
            for element in _elements(node):
                for text in _fixed_texts(element):
                    found.setdefault(text, where)
    return found


@cache
def message_arguments() -> tuple[tuple[ast.expr, str], ...]:
    """Every argument of the ingest code that is a problem's message or accepted text, with
    the ingest file that writes it (relative to the package), in the order of the files."""
    from factory_journey import ingest

    found: list[tuple[ast.expr, str]] = []
    folder = Path(ingest.__file__).parent
    package = folder.parent
    files = [*sorted(folder.glob("*.py")), *(package / name for name in _PLATFORM_FILES)]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(package).as_posix()
        found += [(text, where) for text in _named_messages(tree)]
        values = _assigned(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_problem"):
                # a function that words a problem (`profile_cells.unit_problem`)
                found += [(ret.value, where) for ret in ast.walk(node)
                          if isinstance(ret, ast.Return) and ret.value is not None]
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", None)
            texts: list[ast.expr] = []
            logged = (isinstance(node.func, ast.Attribute)
                      and isinstance(node.func.value, ast.Name)
                      and node.func.value.id in ("logger", "logging"))  # for the operator
            if (name in ("error", "warning", "InvalidInput", "TooLarge", "Conflict") and node.args
                    and not logged):
                texts.append(node.args[0])
            if name in ("Check", "check"):  # Check(bad, column, message, code, accepted)
                texts += node.args[2:3] + node.args[4:5]
            texts += [k.value for k in node.keywords if k.arg == "accepted"
                      or (k.arg in ("message", "summary") and name in _MESSAGE_CALLS)]
            for text in texts:
                # a variable: every text assigned to it in the module (`message = …`,
                # `message += …`, `CSV_HELP = …`)
                shapes = values.get(text.id, []) if isinstance(text, ast.Name) else [text]
                found += [(shape, where) for shape in shapes]
    return tuple((_as_text(text), where) for text, where in found) + _rule_arguments()


def _named_messages(tree: ast.Module) -> list[ast.expr]:
    """Module constants named `…_MESSAGE` (a text) or `…_MESSAGES` (a tuple, list or dict of
    texts): the messages a check writes per row or per case
    (`ingest/checks.UNUSUAL_QUANTITY_MESSAGES`, `ingest/units.WRONG_DIMENSION_MESSAGES`)."""
    texts: list[ast.expr] = []
    for value in _constants(tree, ("_MESSAGE", "_MESSAGES")):
        texts += _elements(value)
    return texts


def _constants(tree: ast.Module, endings: tuple[str, ...]) -> list[ast.expr]:
    """The values of the module's constants whose names end in one of `endings`."""
    values: list[ast.expr] = []
    for node in tree.body:
        target = (node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1
                  else node.target if isinstance(node, ast.AnnAssign) else None)
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(target, ast.Name) and value is not None and target.id.endswith(endings):
            values.append(value)
    return values


def _elements(value: ast.expr) -> list[ast.expr]:
    """The texts of a constant: itself, or the elements of a tuple or list, or a dict's
    values."""
    if isinstance(value, ast.Tuple | ast.List):
        return list(value.elts)
    if isinstance(value, ast.Dict):
        return [element for element in value.values if element is not None]
    return [value]


def _assigned(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """Name → the values assigned to it anywhere in the module, each also with every text
    added to it (`message = f"…"; message += " (…)"`)."""
    starts: dict[str, list[ast.expr]] = {}
    additions: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            starts.setdefault(node.targets[0].id, []).append(node.value)
        elif (isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name)
              and isinstance(node.op, ast.Add)):
            additions.setdefault(node.target.id, []).append(node.value)
    return {name: [*values, *(ast.BinOp(start, ast.Add(), more) for start in values
                              for more in additions.get(name, []))]
            for name, values in starts.items()}


def _as_text(node: ast.expr) -> ast.expr:
    """A message written as a Polars text expression, read as the Python text it makes:
    `pl.lit("a")` → "a", `pl.format("a {}", x)` → f"a {value}", `pl.concat_str(a, b)` →
    a + b (a part that is not text: a placeholder), `pl.when(c).then(a).otherwise(b)` →
    a if c else b. Anything else as it is."""
    if isinstance(node, ast.IfExp):
        return ast.IfExp(node.test, _as_text(node.body), _as_text(node.orelse))
    if isinstance(node, ast.BinOp):
        return ast.BinOp(_as_text(node.left), node.op, _as_text(node.right))
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return node
    name, args = node.func.attr, node.args
    if name == "lit" and args and _is_text(args[0]):
        return args[0]
    if name == "format" and args and _is_text(args[0]):
        return _as_fstring(args[0].value)  # type: ignore[attr-defined]
    if name == "format" and args and isinstance(args[0], ast.JoinedStr):
        # f"{column} applies only to … is {{}}": its own placeholders, and each `{}` one more
        pieces: list[ast.expr] = []
        for value in args[0].values:
            if _is_text(value):
                pieces += _as_fstring(value.value).values  # type: ignore[attr-defined]
            else:
                pieces.append(value)
        return ast.JoinedStr(pieces)
    if name == "concat_str" and args:
        parts = [_as_text(arg) for arg in args]
        joined = _text_or_placeholder(parts[0])
        for part in parts[1:]:
            joined = ast.BinOp(joined, ast.Add(), _text_or_placeholder(part))
        return joined
    then = node.func.value
    if (name == "otherwise" and args and isinstance(then, ast.Call)
            and isinstance(then.func, ast.Attribute) and then.func.attr == "then"
            and then.args):
        return ast.IfExp(ast.Constant(True), _as_text(then.args[0]), _as_text(args[0]))
    return node


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _text_or_placeholder(node: ast.expr) -> ast.expr:
    """A part of a joined text: text as it is, anything else a placeholder."""
    if isinstance(node, ast.Constant | ast.JoinedStr | ast.IfExp | ast.BinOp):
        return node
    return ast.JoinedStr([ast.FormattedValue(ast.Name("value"), -1, None)])


#: The profile rules (domain/profile_rules.py) word their problems as expressions:
#: `message=_text("…")`, `message=pl.format("… {} …", …)` and `summary="…"`.
_RULES_FILE = "domain/profile_rules.py"


def _rule_arguments() -> tuple[tuple[ast.expr, str], ...]:
    """The profile rules' message, summary and accepted texts, as the ingest code's arguments
    are: a `pl.format` text made an f-string (each `{}` a placeholder), so that it reads the
    same; a variable read as every text assigned to it."""
    from factory_journey import domain

    path = Path(domain.__file__).parent / "profile_rules.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    values = _assigned(tree)
    texts: list[ast.expr] = _named_messages(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", None)
        if name in ("_text", "format") and node.args:
            texts.append(node if name == "format" else node.args[0])
        texts += [k.value for k in node.keywords if k.arg == "summary"]
    found: list[tuple[ast.expr, str]] = []
    for text in texts:
        shapes = values.get(text.id, []) if isinstance(text, ast.Name) else [text]
        found += [(_as_text(shape), _RULES_FILE) for shape in shapes]
    return tuple(found)


def _as_fstring(text: str) -> ast.JoinedStr:
    """`"a {} b"` (a `pl.format` text) as the f-string `f"a {value} b"`."""
    values: list[ast.expr] = []
    for number, piece in enumerate(text.split("{}")):
        if number:
            values.append(ast.FormattedValue(ast.Name("value"), -1, None))
        if piece:
            values.append(ast.Constant(piece))
    return ast.JoinedStr(values)


def _fixed_texts(node: ast.expr) -> list[str]:
    """The fixed texts an argument can be: a string, or either string of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _fixed_texts(node.body) + _fixed_texts(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # "a" + "b"
        return [left + right for left in _fixed_texts(node.left)
                for right in _fixed_texts(node.right)]
    return []
