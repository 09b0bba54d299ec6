#!/usr/bin/env python3
"""Compares the checker's JSON reports of two platforms, variant by variant.

Usage: compare.py LINUX_DIR WINDOWS_DIR VARIANT...
       compare.py --all-pass REPORT.json
       compare.py --affected REFERENCE.json VARIANT.json

Each directory holds VARIANT.json (the `--format json` report, docs/results.md) and, when the
caller recorded it, VARIANT.exit (the checker's exit status). Both runs must have used the
same seed (`--seed`): the code under test then draws the same numbers on both platforms, so
the reports must be identical, values and virtual times included. What may differ is only
what is measured on the wall clock or describes the machine:

- every `real` (seconds of real time a call took);
- a number of seconds followed by "of real time" in a text ("stopped after 5.032 s of real
  time");
- the top-level `subject` (the runner's file name: `corpus-runner.exe` on Windows) and
  `sandbox` (what the OS offers to confine the code);
- how a path is spelt: `corpus/../solutions/src/x.rs` is `solutions/src/x.rs`.

Prints `variant: N cases, M identical`, then every difference with where it is. Exits 1 on
any difference, when the reports state no seed or different seeds, or when a report is
missing or unreadable.

`--affected` prints, one a line, the id of every lesson of VARIANT.json whose entry (cases
included, wall-clock figures masked) differs from REFERENCE.json's, or that REFERENCE.json
lacks: the lessons a corpus mistake changes, graded alone on both platforms (a lesson graded
alone gives its cases the same seeds, so the same report, as in the whole run). Exits 2 when a
report cannot be read.
"""

import json
import re
import sys
from pathlib import Path

REAL_TIME = re.compile(r"\d+(?:\.\d+)?(\s*m?s of real time)")
# A path segment followed by `..`: `corpus/../solutions` is `solutions`.
UP = re.compile(r"(?<![A-Za-z0-9_.-])(?!\.\./)[A-Za-z0-9_.-]+/\.\./")
MACHINE_FIELDS = ("subject", "sandbox")


def normalize(value):
    """`value` with wall-clock measurements masked (see the module's docstring)."""
    if isinstance(value, dict):
        return {k: ("<wall clock>" if k == "real" else normalize(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, str):
        text = REAL_TIME.sub(r"#\1", value)
        while UP.search(text):
            text = UP.sub("", text, count=1)
        return text
    return value


def differences(left, right, path):
    """Every (path, linux value, windows value) where `left` and `right` differ."""
    if isinstance(left, dict) and isinstance(right, dict):
        out = []
        for key in list(left) + [k for k in right if k not in left]:
            out += differences(left.get(key), right.get(key), f"{path}.{key}")
        return out
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        out = []
        for i, (a, b) in enumerate(zip(left, right)):
            out += differences(a, b, f"{path}[{i}]")
        return out
    return [] if left == right else [(path, left, right)]


def cases(report):
    """(lesson id, case name) -> the normalized case."""
    out = {}
    for lesson in report.get("lessons", []):
        for case in lesson.get("cases", []):
            key = (lesson.get("id"), case.get("name"))
            if key in out:
                raise ValueError(f"case listed twice: {key}")
            out[key] = normalize(case)
    return out


def rest(report):
    """The report without its cases and machine fields, normalized: the run's facts."""
    top = {k: v for k, v in report.items() if k not in MACHINE_FIELDS and k != "lessons"}
    top["lessons"] = [{k: v for k, v in lesson.items() if k != "cases"}
                      for lesson in report.get("lessons", [])]
    return normalize(top)


def load(directory, variant):
    """(report or None, exit status or None, problem or None)."""
    path = Path(directory) / f"{variant}.json"
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return None, None, f"no readable report {path}: {e}"
    if not isinstance(report, dict) or not isinstance(report.get("lessons"), list):
        return None, None, f"{path} is not a checker JSON report"
    exit_path = Path(directory) / f"{variant}.exit"
    code = exit_path.read_text().strip() if exit_path.exists() else None
    return report, code, None


def show(value):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 300 else text[:300] + "..."


def compare(linux_dir, windows_dir, variant):
    """(number of cases, number identical, list of differences)."""
    linux, linux_code, problem_l = load(linux_dir, variant)
    windows, windows_code, problem_w = load(windows_dir, variant)
    problems = [p for p in (problem_l, problem_w) if p]
    if problems:
        return 0, 0, problems
    diffs = []
    if linux_code is not None and windows_code is not None and linux_code != windows_code:
        diffs.append(f"exit status: linux {linux_code}, windows {windows_code}")
    if linux.get("seed") is None or linux.get("seed") != windows.get("seed"):
        diffs.append(f"seed: linux {linux.get('seed')!r}, windows {windows.get('seed')!r}"
                     " (compare runs made with the same --seed)")
    for side, report in (("linux", linux), ("windows", windows)):
        if report.get("interrupted"):
            diffs.append(f"{side} report says the run was interrupted")
        if report.get("build_errors"):
            diffs.append(f"{side} report has build errors: {report['build_errors'][:1]}")
    for where, a, b in differences(rest(linux), rest(windows), "report"):
        diffs.append(f"{where}\n      linux:   {show(a)}\n      windows: {show(b)}")
    try:
        left, right = cases(linux), cases(windows)
    except ValueError as e:
        return 0, 0, diffs + [str(e)]
    keys = list(left) + [k for k in right if k not in left]
    identical = 0
    for key in keys:
        name = f"{key[0]} / {key[1]}"
        if key not in right:
            diffs.append(f"{name}: missing from the windows report")
        elif key not in left:
            diffs.append(f"{name}: missing from the linux report")
        elif left[key] == right[key]:
            identical += 1
        else:
            for where, a, b in differences(left[key], right[key], "case"):
                diffs.append(f"{name}: {where}\n      linux:   {show(a)}\n"
                             f"      windows: {show(b)}")
    return len(keys), identical, diffs


def all_pass(path):
    """`--all-pass`: every case of the report passes, and there is at least one."""
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
        found = cases(report)
    except (OSError, ValueError, AttributeError) as e:
        print(f"no readable report {path}: {e}")
        return 1
    bad = [f"{lesson.get('id')} / {case.get('name')}: {case.get('status')}: {case.get('message')}"
           for lesson in report["lessons"] for case in lesson.get("cases", [])
           if case.get("status") != "pass"]
    print(f"{path}: {len(found)} cases, {len(found) - len(bad)} pass")
    for line in bad:
        print(f"  - {line}")
    if report.get("interrupted") or report.get("build_errors"):
        print("  - the report is interrupted or has build errors")
        return 1
    return 0 if found and not bad else 1


def affected(reference_path, variant_path):
    """`--affected`: the lessons a variant's report differs in from the reference's."""
    try:
        reference, variant = (json.loads(Path(p).read_text(encoding="utf-8"))
                              for p in (reference_path, variant_path))
        by_id = {lesson["id"]: normalize(lesson) for lesson in reference["lessons"]}
        lessons = variant["lessons"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"no readable reports {reference_path}, {variant_path}: {e}", file=sys.stderr)
        return 2
    for lesson in lessons:
        if by_id.get(lesson.get("id")) != normalize(lesson):
            print(lesson.get("id"))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--all-pass":
        return all_pass(argv[2])
    if len(argv) == 4 and argv[1] == "--affected":
        return affected(argv[2], argv[3])
    if len(argv) < 4:
        print("usage: compare.py LINUX_DIR WINDOWS_DIR VARIANT... | --all-pass REPORT"
              " | --affected REFERENCE VARIANT", file=sys.stderr)
        return 2
    linux_dir, windows_dir, variants = argv[1], argv[2], argv[3:]
    failed = False
    details = []
    for variant in variants:
        total, identical, diffs = compare(linux_dir, windows_dir, variant)
        print(f"{variant}: {total} cases, {identical} identical")
        if diffs or total == 0 or identical != total:
            failed = True
            details.append((variant, diffs or ["no cases in the reports"]))
    for variant, diffs in details:
        print(f"\ndifferences in {variant}:")
        for diff in diffs:
            print(f"  - {diff}")
    print("\nreports: " + ("DIFFERENT" if failed else "identical on both platforms"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
