#!/usr/bin/env bash
# Gradescope: runs once when the autograder image is built. Upload a zip holding this file,
# run_autograder, and the course repository (without target/) in a folder named `source`.
# Rust goes to /usr/local (readable by every user). The course stays root's and read-only to
# the unprivileged user `asynclings`, who owns only the build's target/ folder: it builds the
# course now and each student's code later (run_autograder). The checker is then installed
# root-owned in /usr/local/lib/asynclings with its SHA-256 beside it, which run_autograder
# checks before running it.
set -euo pipefail
course=/autograder/source
lib=/usr/local/lib/asynclings
apt-get update
# python3: run_autograder extracts zip files in uploads with its zipfile module.
apt-get install -y curl build-essential python3
export RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --no-modify-path
id -u asynclings >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin asynclings
cd "$course"
# Dependencies downloaded now, as root: grading runs offline.
/usr/local/cargo/bin/cargo fetch
chmod -R a+rX,go-w /usr/local/rustup /usr/local/cargo
# The course is root's, readable by everyone, writable by root alone; target/ is the grader's.
chown -R root:root "$course"
chmod -R a+rX,go-w "$course"
mkdir -p "$course/target"
chown -R asynclings "$course/target"
# Build once now, as the grader, so that grading a submission only rebuilds the lessons.
HOME=/tmp CARGO_NET_OFFLINE=true setpriv --reuid="$(id -u asynclings)" --regid="$(id -g asynclings)" --init-groups -- \
  /usr/local/cargo/bin/cargo build -q -p checker -p exercises
# The checker that grades: a root-owned copy outside anything the grader can write, and its
# SHA-256, which run_autograder compares with the copy it runs.
install -d -o root -g root -m 755 "$lib"
install -o root -g root -m 755 "$course/target/debug/checker" "$lib/checker"
sha256sum "$lib/checker" | cut -d' ' -f1 >"$lib/checker.sha256"
chown root:root "$lib/checker.sha256"
chmod 644 "$lib/checker.sha256"
