#!/usr/bin/env bash
# Gradescope: runs once when the autograder image is built. Upload a zip holding this file,
# run_autograder, and the course repository (without target/) in a folder named `source`.
set -euo pipefail
apt-get update
apt-get install -y curl build-essential
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
# Build once now, so that grading a submission only rebuilds the lessons.
cd /autograder/source && "$HOME/.cargo/bin/cargo" build -q -p checker -p exercises
