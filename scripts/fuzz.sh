#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS each (default 60).
#
# Convention: an executable target `Fuzz<Name>` at Fuzz/<Name>/main.swift whose
# `@_cdecl("LLVMFuzzerTestOneInput")` function is the entry, with its seed corpus in
# Fuzz/Corpus/<Name>/. Targets are built with libFuzzer and AddressSanitizer under their own
# scratch path; inputs the fuzzer finds go to a temporary corpus (the committed seeds stay as
# they are), crashes to Fuzz/Artifacts/<Name>/. Reproduce one with a plain build:
# `swift build --product Fuzz<Name> && .build/debug/Fuzz<Name> Fuzz/Artifacts/<Name>/crash-…`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
scratch=.build-fuzz
# Without this, Swift's backtracer catches the trap first: no crash file, exit 132.
export SWIFT_BACKTRACE=enable=no

names=$(find Fuzz -mindepth 2 -maxdepth 2 -name main.swift | awk -F/ '{ print $2 }' | sort)
[ -n "$names" ] || { echo "fuzz: no targets under Fuzz/"; exit 1; }

# --sanitize=fuzzer links libFuzzer but leaves Swift code without coverage counters (libFuzzer
# then says "no interesting inputs ... Is the code instrumented for coverage?"): ask for them.
coverage=(-Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table)
for name in $names; do
    swift build -c debug --scratch-path "$scratch" --product "Fuzz$name" --sanitize=fuzzer --sanitize=address "${coverage[@]}"
done
bin=$(swift build -c debug --scratch-path "$scratch" --show-bin-path "${coverage[@]}")

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failed=0
for name in $names; do
    mkdir -p "$work/$name" "Fuzz/Artifacts/$name" "Fuzz/Corpus/$name"
    echo "fuzz: Fuzz$name for ${seconds}s"
    if ! "$bin/Fuzz$name" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=5 \
        -print_final_stats=1 -artifact_prefix="Fuzz/Artifacts/$name/" "$work/$name" "Fuzz/Corpus/$name"; then
        echo "fuzz: Fuzz$name FAILED; the input is in Fuzz/Artifacts/$name/"
        failed=1
    fi
done
exit $failed
