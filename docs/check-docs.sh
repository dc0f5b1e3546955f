#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks the manual (docs/mod_hsts.xml) against the code and the other
# descriptions of the interface:
#
# - its directives are exactly those of mod_hsts_config.c's command table, with
#   the syntax and default of README.md's directive table, and the syntax,
#   default and context of CONTRACT.md's (when CONTRACT.md is found);
# - its lint code table has exactly the codes of hsts_codes.h, each with
#   the class the code has there (and in CONTRACT.md) and a fix, and
#   README.md's code table has every code but header.parse.* (one row
#   stands for those), each with that class;
# - the built HTML manual and man page (when given) have every directive.
#
#   docs/check-docs.sh [SRCDIR [BUILT_DOCS_DIR]]      (make check-docs)
#
# CONTRACT.md is looked for in $HSTS_CONTRACT, then in shared/spec/ beside
# the source tree.
set -eu

src=${1:-.}
built=${2:-}
xml="$src/docs/mod_hsts.xml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
problems=0

problem() {
    echo "check-docs: $*" >&2
    problems=$((problems + 1))
}

# README.md is checked against the manual; where CONTRACT.md is found it
# is the authority, and README.md's differences are only reported.
readme_notes=0
readme_problem() {
    echo "check-docs: $*" >>"$tmp/readme-notes"
    readme_notes=$((readme_notes + 1))
}

xsltproc --nonet --novalid "$src/docs/facts.xsl" "$xml" >"$tmp/facts"
tab=$(printf '\t')

# --- directives -------------------------------------------------------------
sed -n 's/.*AP_INIT_[A-Z0-9]*("\([A-Za-z0-9]*\)".*/\1/p' "$src/mod_hsts_config.c" |
    sort >"$tmp/code-directives"
awk -F"$tab" '$1 == "directive" { print $2 }' "$tmp/facts" |
    sort >"$tmp/doc-directives"
comm -23 "$tmp/code-directives" "$tmp/doc-directives" >"$tmp/missing"
comm -13 "$tmp/code-directives" "$tmp/doc-directives" >"$tmp/extra"
while read -r d; do problem "directive $d (mod_hsts_config.c) has no directivesynopsis"; done <"$tmp/missing"
while read -r d; do problem "directivesynopsis $d is not in mod_hsts_config.c"; done <"$tmp/extra"

# doc_fact NAME FIELD: the syntax (3), default (4) or context (5) of NAME
doc_fact() {
    awk -F"$tab" -v n="$1" -v f="$2" '$1 == "directive" && $2 == n { print $f }' "$tmp/facts"
}

# the default without the directive's name: "HSTS Off" -> "Off"
doc_default() {
    doc_fact "$1" 4 | sed "s/^$1 //"
}

# check_default WHERE NAME EXPECTED: "none" and "derived..." compare by
# their first word, values exactly.
check_default() {
    got=$(doc_default "$2")
    case "$3" in
        derived*) case "$got" in derived*) return 0 ;; esac ;;
        *) [ "$got" = "$3" ] && return 0 ;;
    esac
    problem "$2: default '$got' in the manual, '$3' in $1"
}

# README.md's directive table: | `SYNTAX` | `DEFAULT` | text |
awk '/^## Directives/ { on = 1; next } /^#/ { on = 0 } on && /^\| `HSTS/' "$src/README.md" |
    sed 's/\\|/\x01/g' | awk -F'|' '{ print $2 "\t" $3 }' |
    sed 's/`//g; s/\x01/|/g; s/^ *//; s/ *\t */\t/; s/ *$//' >"$tmp/readme"
[ -s "$tmp/readme" ] || problem "README.md: no directive table found under '## Directives'"
while IFS="$tab" read -r syntax default; do
    name=${syntax%% *}
    [ "$(doc_fact "$name" 3)" = "$syntax" ] ||
        readme_problem "$name: syntax '$(doc_fact "$name" 3)' in the manual, '$syntax' in README.md"
    got=$(doc_default "$name")
    case "$default" in
        derived*) case "$got" in derived*) continue ;; esac ;;
        *) [ "$got" = "$default" ] && continue ;;
    esac
    readme_problem "$name: default '$got' in the manual, '$default' in README.md"
done <"$tmp/readme"

contract=${HSTS_CONTRACT:-}
if [ -z "$contract" ]; then
    for c in "$src/../shared/spec/CONTRACT.md" "$src/shared/spec/CONTRACT.md"; do
        if [ -f "$c" ]; then contract=$c; break; fi
    done
fi
if [ -n "$contract" ] && [ -f "$contract" ]; then
    # | `NAME` | `SYNTAX` | `DEFAULT` | CONTEXT |
    awk '/^## 1\./ { on = 1; next } /^## / { on = 0 } on && /^\| `HSTS/' "$contract" |
        sed 's/\\|/\x01/g' | awk -F'|' '{ print $2 "\t" $3 "\t" $4 "\t" $5 }' |
        sed 's/`//g; s/\x01/|/g; s/ *\t */\t/g; s/^ *//; s/ *$//' >"$tmp/contract"
    while IFS="$tab" read -r name syntax default context; do
        [ "$(doc_fact "$name" 3)" = "$syntax" ] ||
            problem "$name: syntax '$(doc_fact "$name" 3)' in the manual, '$syntax' in CONTRACT.md"
        check_default CONTRACT.md "$name" "$default"
        [ "$(doc_fact "$name" 5)" = "$context" ] ||
            problem "$name: context '$(doc_fact "$name" 5)' in the manual, '$context' in CONTRACT.md"
    done <"$tmp/contract"
    # | `code` | class | when |  (the header.parse.* row stands for many)
    awk '/^## 4\./ { on = 1; next } /^## / { on = 0 } on && /^\| `[a-z]/' "$contract" |
        awk -F'|' '{ print $2 "\t" $3 }' | sed 's/`//g; s/ *\t */\t/; s/^ *//; s/ *$//' |
        grep -v '^header\.parse\.\*' >"$tmp/contract-codes" || true
    while IFS="$tab" read -r code class; do
        got=$(awk -F"$tab" -v c="$code" '$1 == "code" && $2 == c { print $3 }' "$tmp/facts")
        [ "$got" = "$class" ] ||
            problem "$code: class '$got' in the manual, '$class' in CONTRACT.md"
    done <"$tmp/contract-codes"
    if [ "$readme_notes" -gt 0 ]; then
        echo "check-docs: note: README.md differs from the manual and CONTRACT.md:"
        cat "$tmp/readme-notes"
    fi
else
    echo "check-docs: CONTRACT.md not found, compared with the code and README.md only"
    if [ "$readme_notes" -gt 0 ]; then
        cat "$tmp/readme-notes" >&2
        problems=$((problems + readme_notes))
    fi
fi

# --- lint codes -------------------------------------------------------------
# hsts_codes.h: HSTS_CODE(ID, "name", CLASS), one per line.
sed -n 's/^ *HSTS_CODE([A-Z0-9_]*, *"\([a-z0-9_.]*\)", *HSTS_\([A-Z_]*\)).*/\1\t\2/p' \
    "$src/hsts_codes.h" |
    sed 's/\tERROR_IF_PRELOAD$/\terror with preload intent, else warning/;
         s/\tERROR$/\terror/; s/\tWARNING$/\twarning/; s/\tINFO$/\tinfo/' |
    sort >"$tmp/code-classes"
cut -f1 "$tmp/code-classes" >"$tmp/code-codes"
[ -s "$tmp/code-codes" ] || problem "hsts_codes.h: the code list was not found"
awk -F"$tab" '$1 == "code" { print $2 }' "$tmp/facts" | sort >"$tmp/doc-codes"
comm -23 "$tmp/code-codes" "$tmp/doc-codes" >"$tmp/missing"
comm -13 "$tmp/code-codes" "$tmp/doc-codes" >"$tmp/extra"
while read -r c; do problem "lint code $c (hsts_codes.h) is not in the manual's code table"; done <"$tmp/missing"
while read -r c; do problem "the manual's code table has $c, which hsts_codes.h does not know"; done <"$tmp/extra"
while IFS="$tab" read -r c class; do
    got=$(awk -F"$tab" -v c="$c" '$1 == "code" && $2 == c { print $3 }' "$tmp/facts")
    [ -z "$got" ] || [ "$got" = "$class" ] ||
        problem "lint code $c: class '$got' in the manual, '$class' in hsts_codes.h"
done <"$tmp/code-classes"
awk -F"$tab" '$1 == "code" && $4 == "" { print $2 }' "$tmp/facts" >"$tmp/incomplete"
while read -r c; do problem "lint code $c: no fix in the manual"; done <"$tmp/incomplete"

# README.md's code table: | `code` | class | found when | fix |
awk '/^## The startup lint/ { on = 1; next } /^## / { on = 0 } on && /^\| `[a-z]/' "$src/README.md" |
    awk -F'|' '{ print $2 "\t" $3 }' | sed 's/`//g; s/ *\t */\t/; s/^ *//; s/ *$//' |
    grep -v '^header\.parse\.\*' | sort >"$tmp/readme-codes" || true
grep -v '^header\.parse\.' "$tmp/code-classes" >"$tmp/code-classes-readme"
cut -f1 "$tmp/readme-codes" >"$tmp/readme-code-names"
cut -f1 "$tmp/code-classes-readme" >"$tmp/code-names-readme"
comm -23 "$tmp/code-names-readme" "$tmp/readme-code-names" >"$tmp/missing"
comm -13 "$tmp/code-names-readme" "$tmp/readme-code-names" >"$tmp/extra"
while read -r c; do problem "lint code $c (hsts_codes.h) is not in README.md's code table"; done <"$tmp/missing"
while read -r c; do problem "README.md's code table has $c, which hsts_codes.h does not know"; done <"$tmp/extra"
while IFS="$tab" read -r c class; do
    got=$(awk -F"$tab" -v c="$c" '$1 == c { print $2 }' "$tmp/readme-codes")
    [ -z "$got" ] || [ "$got" = "$class" ] ||
        problem "lint code $c: class '$got' in README.md, '$class' in hsts_codes.h"
done <"$tmp/code-classes-readme"

# --- the built manual -------------------------------------------------------
if [ -n "$built" ]; then
    for d in $(cat "$tmp/doc-directives"); do
        id=$(echo "$d" | tr 'A-Z' 'a-z')
        grep -q "id=\"$id\"" "$built/mod_hsts.html" || problem "$built/mod_hsts.html has no section for $d"
        grep -q "^\.SS $d\$" "$built/mod_hsts.8" || problem "$built/mod_hsts.8 has no section for $d"
    done
fi

directives=$(wc -l <"$tmp/doc-directives" | tr -d ' ')
codes=$(wc -l <"$tmp/doc-codes" | tr -d ' ')
if [ "$problems" -gt 0 ]; then
    echo "check-docs: FAIL: $problems problems ($directives directives, $codes lint codes in the manual)"
    exit 1
fi
if [ -n "$contract" ] && [ -f "$contract" ]; then against="the code and CONTRACT.md"; else against="the code and README.md"; fi
echo "check-docs: OK: $directives directives and $codes lint codes, as in $against"
