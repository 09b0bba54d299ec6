#!/usr/bin/env bash
# Gradescope: runs once when the autograder image is built. Upload a zip holding this file,
# run_autograder, and the course repository (without target/) in a folder named `source`.
# Rust goes to /usr/local (readable by every user); the course is built by the unprivileged
# user `asynclings`, who builds and runs each student's code (run_autograder).
set -euo pipefail
apt-get update
apt-get install -y curl build-essential unzip
export RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --no-modify-path
id -u asynclings >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin asynclings
cd /autograder/source
# Dependencies downloaded now, as root: grading runs offline.
/usr/local/cargo/bin/cargo fetch
chmod -R a+rX /usr/local/rustup /usr/local/cargo
chown -R asynclings /autograder/source
# Build once now, as the grader, so that grading a submission only rebuilds the lessons.
HOME=/tmp CARGO_NET_OFFLINE=true setpriv --reuid="$(id -u asynclings)" --regid="$(id -g asynclings)" --init-groups -- \
  /usr/local/cargo/bin/cargo build -q -p checker -p exercises
