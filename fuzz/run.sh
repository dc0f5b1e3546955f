#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds mod_hsts's libFuzzer targets (clang, ASan + UBSan) and runs each
# for a while, starting from the checked-in seed corpus.
#
#   fuzz/run.sh [seconds-per-target] [target ...]
#
# seconds-per-target defaults to 300; `fuzz/run.sh 30` is the quick CI
# mode. Targets: policy duration redirect proxy (default: all). Prints,
# per target, the inputs run, the coverage (cov: edges, ft: features)
# from libFuzzer's final stats, and the result; exits non-zero when any
# target crashed, hit a sanitizer error, broke an invariant or timed out.
#
# The work lives in fuzz/build/: binaries, the growing working corpus
# (corpus/<target>, kept between runs), logs, and crash artefacts
# (artifacts/<target>/). An artefact that shows a real bug belongs, once
# the bug is fixed, in fuzz/corpus/<target>/ as a regression input.
#
# Environment: FUZZ_BUILD_DIR (default fuzz/build), CC (default clang),
# FUZZ_ARGS (more libFuzzer flags).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
secs=${1:-300}
shift || true
all_targets="policy duration redirect proxy"
targets=${*:-$all_targets}
build=${FUZZ_BUILD_DIR:-$here/build}
cc=${CC:-clang}

case "$secs" in
    ''|*[!0-9]*) echo "fuzz/run.sh: seconds-per-target must be a number, not '$secs'" >&2; exit 2 ;;
esac
for t in $targets; do
    case " $all_targets " in
        *" $t "*) ;;
        *) echo "fuzz/run.sh: no target '$t' (targets: $all_targets)" >&2; exit 2 ;;
    esac
done

# ------------------------------------------------------------------
# What the build needs: clang with libFuzzer's runtime and APR.

have_fuzzer_runtime() {
    command -v "$cc" >/dev/null 2>&1 || return 1
    local lib
    lib=$("$cc" -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null) || return 1
    [ -f "$lib" ] || return 1
    command -v apr-1-config >/dev/null 2>&1 || return 1
}

if ! have_fuzzer_runtime; then
    hsts_install_packages clang libclang-rt-14-dev libapr1-dev || exit 2
    have_fuzzer_runtime || { echo "fuzz/run.sh: still no libFuzzer runtime for $cc" >&2; exit 2; }
fi

# ------------------------------------------------------------------
# Build.

mkdir -p "$build"
# shellcheck disable=SC2207
apr_cflags=($(apr-1-config --cppflags --includes))
# shellcheck disable=SC2207
apr_libs=($(apr-1-config --link-ld))
cflags=(-g -O1 -fno-omit-frame-pointer
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
        -Wall -Wextra -Werror -I"$top" "${apr_cflags[@]}")

sources_of() {
    case "$1" in
        policy|duration) echo hsts_policy.c hsts_issue.c ;;
        redirect)        echo hsts_request.c ;;
        proxy)           echo hsts_proxy.c ;;
    esac
}

echo "== build ($("$cc" --version | head -n 1))"
for t in $targets; do
    objs=()
    for src in $(sources_of "$t"); do
        obj="$build/${t}-${src%.c}.o"
        # mod_hsts's own code gets pool_shim.h: exact-size allocations
        "$cc" "${cflags[@]}" -include "$here/pool_shim.h" -c "$top/$src" -o "$obj"
        objs+=("$obj")
    done
    "$cc" "${cflags[@]}" -c "$here/pool_shim.c" -o "$build/$t-pool_shim.o"
    "$cc" "${cflags[@]}" "$here/fuzz_$t.c" "${objs[@]}" "$build/$t-pool_shim.o" \
        "${apr_libs[@]}" -o "$build/fuzz_$t"
done

# ------------------------------------------------------------------
# Run.

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

extra_args_of() {
    case "$1" in
        proxy) echo -use_value_profile=1 ;;
        *) ;;
    esac
}

failed=0
summary=()
for t in $targets; do
    work="$build/corpus/$t"
    artifacts="$build/artifacts/$t/"
    log="$build/$t.log"
    mkdir -p "$work" "$artifacts"
    dict=()
    [ -f "$here/dict/$t.dict" ] && dict=(-dict="$here/dict/$t.dict")
    echo "== fuzz_$t for ${secs}s (log: $log)"
    set +e
    # shellcheck disable=SC2046,SC2086
    "$build/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
        -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts" "${dict[@]}" $(extra_args_of "$t") \
        ${FUZZ_ARGS:-} "$work" "$here/corpus/$t" >"$log" 2>&1
    status=$?
    set -e

    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    [ -n "$runs" ] || runs=$(printf '%s\n' "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
    cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    if [ "$status" = 0 ] && grep -q '^Done [0-9]* runs' "$log"; then
        result=ok
    else
        failed=1
        if grep -q 'INVARIANT FAILED' "$log"; then
            result="INVARIANT FAILED"
        elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then
            result="TIMEOUT"
        elif grep -q 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' "$log"; then
            result="SANITIZER ERROR"
        else
            result="CRASH (exit $status)"
        fi
        grep -m 3 -E 'INVARIANT FAILED|ERROR:|runtime error:|^  ' "$log" | sed 's/^/    /' || true
        art=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' || true)
        [ -n "$art" ] && echo "    input: $art (reproduce: $build/fuzz_$t $art)"
    fi
    line=$(printf '%-9s runs %-11s cov %-5s ft %-6s corpus %-6s %s' \
                  "$t" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")
    echo "$line"
    summary+=("$line")
done

echo "== summary ($(date -u '+%Y-%m-%d %H:%M UTC'), ${secs}s per target)"
printf '%s\n' "${summary[@]}"
if [ "$failed" != 0 ]; then
    echo "fuzz: FAIL"
    exit 1
fi
echo "fuzz: PASS"
