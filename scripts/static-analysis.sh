#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Static analysis of mod_hsts's C code with cppcheck and clang-tidy (the
# checks clang-tidy runs are in .clang-tidy). Fails on any finding.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh

hsts_install_packages cppcheck clang-tidy
hsts_httpd_paths
includes=(-I. "-I$($apxs -q INCLUDEDIR)" "-I$($apxs -q APR_INCLUDEDIR)")
sources=(mod_hsts*.c hsts_*.c)

echo "== cppcheck"
# varFuncNullUB: APR's variadic functions end with NULL, and APR declares
# them with the sentinel attribute.
cppcheck --enable=warning,style,performance,portability --std=c99 --quiet \
    --error-exitcode=1 --inline-suppr -I. --suppress=missingIncludeSystem \
    --suppress=varFuncNullUB "${sources[@]}"

echo "== clang-tidy"
out=$(clang-tidy --quiet "${sources[@]}" -- "${includes[@]}" -D_GNU_SOURCE \
      -DLINUX -D_REENTRANT 2>&1 || true)
if grep -q "error:\|warning:" <<<"$out"; then
    grep -v "warnings generated\|Suppressed .* warnings\|Use -header-filter" <<<"$out"
    echo "static analysis: FAIL"
    exit 1
fi
echo "static analysis: OK"
