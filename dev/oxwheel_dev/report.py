"""benchmarks/results.json and results.md: one section per session (`bench`, `time_to_green`).

A section is {"title", "machine": {name: value}, "tables": [{"title", "note", "columns",
"rows"}], "targets": [{"target", "measured", "result", "why"}], "notes": [str], "data": {...}};
results.md is rendered from results.json, so both always agree. Standard library only.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent.parent.parent / "benchmarks"
RESULTS_JSON = RESULTS / "results.json"
RESULTS_MD = RESULTS / "results.md"
ORDER = ["bench", "time_to_green"]


def machine(python: str) -> dict[str, str]:
    """The facts that make a measurement comparable: CPU, cores, load, Python, Rust, date."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True, check=True)
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "load average (1, 5, 15 min) at the start": ", ".join(
            f"{load:.2f}" for load in os.getloadavg()
        ),
        "OS": platform.platform(),
        "Python": python,
        "rustc": rustc.stdout.strip(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def record(name: str, section: dict[str, Any]) -> None:
    """Stores one session's section and re-renders results.md from all of them."""
    results = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    results[name] = section
    results = {key: results[key] for key in ORDER if key in results}
    RESULTS_JSON.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    RESULTS_MD.write_text(markdown(results))


def markdown(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `python3 noxfile.py -s bench` and `python3 noxfile.py -s time_to_green`; the",
        "raw numbers are in `results.json`. Times are medians over repeats within one run. The",
        "machine may be shared with other work (see each load average): between runs, a ratio",
        "can move by a third.",
    ]
    for section in results.values():
        lines += ["", f"## {section['title']}", ""]
        lines += [f"- {key}: {value}" for key, value in section["machine"].items()]
        for table in section["tables"]:
            lines += ["", f"### {table['title']}", ""]
            if table.get("note"):
                lines += [table["note"], ""]
            lines.append("| " + " | ".join(table["columns"]) + " |")
            lines.append("|" + "---|" * len(table["columns"]))
            lines += ["| " + " | ".join(map(str, row)) + " |" for row in table["rows"]]
        if section.get("targets"):
            lines += ["", "### Targets", "", "| target | measured | result |", "|---|---|---|"]
            lines += [
                f"| {t['target']} | {t['measured']} | {t['result']} |" for t in section["targets"]
            ]
            misses = [t for t in section["targets"] if t["why"]]
            for missed in misses:
                lines += ["", f"**{missed['target']}: {missed['result']}.** {missed['why']}"]
        for note in section.get("notes", []):
            lines += ["", note]
    return "\n".join(lines) + "\n"
