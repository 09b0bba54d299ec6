"""Classroom 50 autograder for asynclings.

Copy this file and `course.tar.gz` (the instructor's course: `git archive --format=tar.gz
-o course.tar.gz HEAD` in the course repository, hidden specs included) to
`CLASSROOM/autograders/ASSIGNMENT/` of the classroom's config repository (README.md here).

Classroom 50's runner runs it in the student's checkout with the bundle's other files in
$CLASSROOM50_BUNDLE_DIR. It grades with the instructor's checker and specs from the bundle,
never the student's: the student's lesson files are found (`checker collect`) and put in place
of the course's stubs. It writes ./result.json (`checker --format classroom50`, schema
classroom50/result/v1) and exits 0 whenever the checker graded; a non-zero exit is an
infrastructure error, which Classroom 50 reports as such.
"""

import atexit
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

# asynclings: begin
checkout = pathlib.Path.cwd()
bundle = pathlib.Path(os.environ.get("CLASSROOM50_BUNDLE_DIR") or pathlib.Path(__file__).parent)
work = pathlib.Path(tempfile.mkdtemp(prefix="asynclings-course-"))
# Removed however the script ends (sys.exit too): a runner that is not thrown away after each
# job would otherwise keep a course, and its build when there is no ASYNCLINGS_CHECKER, per run.
atexit.register(shutil.rmtree, work, ignore_errors=True)
course = work / "course"
archive = bundle / "course.tar.gz"
if archive.is_file():
    with tarfile.open(archive) as tar:
        tar.extractall(course, filter="data")
elif (bundle / "course" / "Cargo.toml").is_file():
    shutil.copytree(bundle / "course", course)
else:
    sys.exit(f"no course.tar.gz (or course/) in {bundle}: see docs/ci/classroom50/README.md")

# The submission instant: the graded commit's committer date, in UTC.
date = subprocess.run(
    ["git", "show", "-s", "--format=%cd", "--date=format-local:%Y-%m-%dT%H:%M:%SZ", "HEAD"],
    cwd=checkout, capture_output=True, text=True, env={**os.environ, "TZ": "UTC"},
)
env = dict(os.environ)
if date.returncode == 0 and date.stdout.strip():
    env["SUBMISSION_DATETIME"] = date.stdout.strip()

checker = os.environ.get("ASYNCLINGS_CHECKER")
if not checker:
    subprocess.run(["cargo", "build", "-q", "-p", "checker"], cwd=course, check=True)
    target = pathlib.Path(env.get("CARGO_TARGET_DIR") or course / "target")
    checker = str(target / "debug" / "checker")

notes = work / "collect-notes.txt"
found = subprocess.run(
    [checker, "collect", str(checkout), "--notes", str(notes)], cwd=course, env=env
)
if found.returncode not in (0, 1):
    sys.exit(f"checker collect failed with status {found.returncode}")

result = checkout / "result.json"
graded = subprocess.run(
    [checker, "--format", "classroom50", "--output", str(result)], cwd=course, env=env
)
# 0 all pass, 1 some case fails, 3 a lesson does not compile: all are grades in result.json.
if graded.returncode not in (0, 1, 3) or not result.is_file():
    sys.exit(f"the checker could not grade (status {graded.returncode})")
print(notes.read_text() if notes.is_file() else "")
# asynclings: end
