"""Generate `docs/park-framework.md` from the packaged park framework files and park measures.

Everything in the document comes from `reference/data/park_frameworks/*.yaml` (the base
framework and its national overlays: provenance, what was and was not verified, every
requirement with its test, threshold, prerequisite flag, evidence, source and certainty, the
questionnaire) and `reference/data/park_measures.yaml` (the collective plan's shared measures
and how they split), so the document cannot drift from the data. A test fails when the file is
out of date.

    python tools/make_park_framework_doc.py          # rewrite docs/park-framework.md
    python tools/make_park_framework_doc.py --check  # exit 1 when it is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from factory_journey.engine.parks.framework_schema import Framework, Requirement, parse_framework
from factory_journey.engine.parks.plan_measures import ParkMeasures, default_park_measures
from factory_journey.reference.loader import data_dir, load_yaml

DOC = Path(__file__).resolve().parent.parent / "docs" / "park-framework.md"


def _cell(value: object) -> str:
    return " ".join(str(value).replace("|", "\\|").split())


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def frameworks() -> list[Framework]:
    """The packaged framework files, the base first, then the overlays by id."""
    folder = data_dir() / "park_frameworks"
    parsed = [parse_framework(load_yaml(f"park_frameworks/{p.name}"), p.name)
              for p in sorted(folder.glob("*.yaml"))]
    return sorted(parsed, key=lambda f: (f.meta.kind != "framework", f.meta.id))


def _test(r: Requirement) -> str:
    t = r.test
    subject = f"indicator `{t.indicator}`" if t.kind == "indicator" else f"question `{t.question}`"
    if t.comparison is None:
        return f"{subject}: yes = met, partly = partly met, no = not met"
    text = f"{subject} {t.comparison} {t.met:g} met"
    if t.partly is not None:
        text += f"; {t.comparison} {t.partly:g} partly met"
    return text


def framework_section(f: Framework) -> list[str]:
    m = f.meta
    lines = [f"## {m.title}", "",
             f"`{m.id}` version {m.version} ({m.kind}"
             + (f" of `{m.extends}`, for parks in {', '.join(m.countries)}" if m.extends else "")
             + f"); certainty of the file: {m.certainty}.", ""]
    lines += [f"- **Source:** {_cell(m.source)}", f"- **Licence:** {_cell(m.licence)}"]
    if m.attribution:
        lines.append(f"- **Attribution:** {_cell(m.attribution)}")
    lines += [f"- **Vintage:** {_cell(m.vintage)}", f"- **Units:** {_cell(m.units)}"]
    if m.notes:
        lines.append(f"- **Verified and not verified:** {_cell(m.notes)}")
    lines += ["", f"A partly met requirement counts {f.scoring.partly_met_credit:g} in its "
              "pillar's score.", ""]
    for pillar in f.pillars:
        pre = sum(r.prerequisite for r in pillar.requirements)
        lines += [f"### {pillar.title} (`{pillar.key}`)", "",
                  f"{len(pillar.requirements)} requirements, {pre} of them prerequisites.", ""]
        lines += _table(
            ["id", "requirement", "prerequisite", "test and thresholds", "unit", "evidence",
             "source", "certainty"],
            [[f"`{r.id}`", f"**{r.title}.** {r.definition}", "yes" if r.prerequisite else "",
              _test(r), r.unit or "",
              r.evidence + (" (required)" if r.evidence_required else ""), r.source,
              r.certainty] for r in pillar.requirements])
    if f.questions:
        lines += ["### Questionnaire", ""]
        lines += _table(["question_id", "question", "answer"],
                        [[f"`{q.id}`", q.text, "yes / partly / no / unknown"
                          if q.answer_kind == "yes_partly_no" else f"a number ({q.unit})"]
                         for q in f.questions])
    return lines


def measures_section(pm: ParkMeasures) -> list[str]:
    lines = ["## Collective improvement plan: shared measures", "",
             f"`park_measures.yaml` version {pm.version}; certainty: "
             f"{pm.meta.get('certainty')}. {_cell(pm.meta.get('notes', ''))}", "",
             f"Source: {_cell(pm.meta.get('source', ''))}", "",
             "How a measure's costs and benefits split across the members that take part "
             "(engine/parks/plan.py): member share = its value of the split column / the "
             "participants' sum; equal = 1 / participants; a participant without a value "
             "makes the whole measure split equally, and the plan says so.", ""]
    lines += _table(["basis", "meaning"],
                    [[f"`{k}` {v.get('label', '')}", v.get("definition", "")]
                     for k, v in pm.split_bases.items()])
    rows = []
    for m in pm.measures:
        effect = ("not quantified" if m.effect.kind == "none" else
                  f"{m.effect.kind}: {m.effect.fraction[0]:g}-{m.effect.fraction[1]:g}")
        covers = "; ".join(part for part in (
            "measures " + ", ".join(f"`{x}`" for x in m.covers.measures)
            if m.covers.measures else "",
            "modules " + ", ".join(f"`{x}`" for x in m.covers.modules)
            if m.covers.modules else "",
            "requirements " + ", ".join(f"`{x}`" for x in m.covers.requirements)
            if m.covers.requirements else "") if part)
        split = m.split.basis + (f" (`{m.split.column}`)" if m.split.column else "")
        rows.append([f"`{m.key}`", f"**{m.title}.** {m.description}", effect,
                     f"{m.investment.usd[0]:g}-{m.investment.usd[1]:g} USD per "
                     f"{m.investment.basis}", m.co2e_basis, split, covers,
                     f"{m.certainty}: {m.source}"])
    lines += _table(["key", "measure", "saves (fraction of participants' baseline)",
                     "investment", "CO2e basis", "split by", "covers", "certainty and source"],
                    rows)
    return lines


def render() -> str:
    lines = [
        "# Park framework and collective improvement plan",
        "",
        "<!-- Generated by tools/make_park_framework_doc.py from reference/data/park_frameworks/"
        " and reference/data/park_measures.yaml; do not edit by hand. -->",
        "",
        "How `journey park assess` judges a park and how the collective improvement plan is "
        "costed and shared. The score of a pillar is (met + credit × partly met) / (met + "
        "partly met + not met) over its requirements that are not prerequisites; prerequisites "
        "are shown apart; a requirement without data is not assessed and does not count "
        "(engine/parks/framework_schema.py). Anyone can recompute every score from "
        "`requirement_results` and these files. The requirement texts are this project's "
        "paraphrase, with attribution, not the text of the sources (decision 0026).",
        "",
    ]
    for framework in frameworks():
        lines += framework_section(framework)
    lines += measures_section(default_park_measures())
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print("docs/park-framework.md is out of date: "
                  "run python tools/make_park_framework_doc.py")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
