#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# House-style checks that can fail (STYLE.md): every C source and header under src/,
# include/, tests/ (fuzz corpora aside) and bench/ opens with an SPDX line in its first two
# lines and a comment saying what it is for; no two tracked files share a basename (names
# that tools or conventions fix, like CMakeLists.txt or run.sh, aside); every module in
# src/ (the CLI and the daemon included) includes only public headers from include/zara/
# and its own headers, and public headers include only public headers. Prints one line per
# failure naming the file, then "N passed, N failed" (one count per check).
# Usage: tests/suites/style.sh [ROOT]   (ROOT: a git checkout, default this one)
set -uo pipefail
root="${1:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$root" || exit 2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

finish_check() { # name, file holding one failure line per row
  local n
  n=$(wc -l < "$2")
  if [ "$n" -eq 0 ]; then
    passed=$((passed + 1))
  else
    cat "$2"
    echo "style: $1: $n failure(s)"
    failed=$((failed + 1))
  fi
}

# Tracked files plus new ones git does not ignore (what the next commit would hold).
git ls-files --cached --others --exclude-standard -- src include tests bench 2>/dev/null |
  grep -E '\.(c|h)$' | grep -v '^tests/fuzz/corpus/' | sort -u |
  while read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done > "$tmp/sources"
if [ ! -s "$tmp/sources" ]; then
  echo "style: no C files found under $root (not a git checkout?)"
  echo "0 passed, 1 failed"
  exit 1
fi

# ---- 1. SPDX line in the first two lines -------------------------------------------------
while read -r f; do
  head -n 2 "$f" | grep -qE 'SPDX-License-Identifier: [A-Za-z0-9.+-]+' ||
    echo "style: spdx: $f: no SPDX-License-Identifier line in its first 2 lines"
done < "$tmp/sources" > "$tmp/spdx"
finish_check spdx "$tmp/spdx"

# ---- 2. a comment saying what the file is for ----------------------------------------------
# The text of the comment that holds the SPDX line (or the block right after it when that
# comment is only the SPDX line), markers stripped: at least 5 words and 40 characters.
xargs -d '\n' awk '
  function take(l,   t) {
    t = l
    sub(/^[ \t]*(\/\/+|\/\*+|\*+)?/, "", t)
    sub(/\*+\/[ \t]*$/, "", t)
    if (t ~ /SPDX-License-Identifier/) return
    gsub(/^[ \t]+|[ \t]+$/, "", t)
    if (t != "") { text = text " " t }
  }
  function emit(   words, w) {
    if (file == "" || emitted) return
    emitted = 1
    words = split(text, w, /[ \t]+/) - 1
    if (words < 5 || length(text) < 41)
      printf "style: purpose: %s: no comment saying what the file is for after the SPDX line\n", file
  }
  FNR == 1 { emit(); file = FILENAME; state = 0; text = ""; emitted = 0 }
  emitted { next }
  state == 0 {
    if ($0 ~ /SPDX-License-Identifier/) {
      if ($0 ~ /^[ \t]*\/\//) state = 1          # inside a // block
      else if ($0 ~ /\*\//) state = 3            # a closed /* SPDX */: the next block counts
      else state = 2                             # inside a /* block
    } else if (FNR >= 2) emit()
    next
  }
  state == 1 {
    if ($0 ~ /^[ \t]*\/\//) { take($0); next }
    if ($0 ~ /^[ \t]*\/\*/ && text == "") { state = 2 } else { emit(); next }
  }
  state == 3 {
    if ($0 ~ /^[ \t]*\/\//) { state = 1; take($0); next }
    if ($0 ~ /^[ \t]*\/\*/) { state = 2 } else { emit(); next }
  }
  state == 2 { take($0); if ($0 ~ /\*\//) emit(); next }
  END { emit() }
' < "$tmp/sources" > "$tmp/purpose"
finish_check purpose "$tmp/purpose"

# ---- 3. no two tracked files share a basename ---------------------------------------------
# Aside: fuzz corpora (inputs named by content), vendored and generated trees, names fixed by
# tools or conventions, and the files of a task under examples/<task>/ (DESIGN.md §4).
git ls-files 2>/dev/null |
  grep -vE '^tests/fuzz/corpus/|(^|/)(node_modules|dist|build|out|cache|lib)/' |
  grep -vE '^examples/[^/]+/(arch\.json|eval\.lua|init\.safetensors|trained\.safetensors|README\.md)$' |
  awk -F/ '
    BEGIN {
      n = split("README.md .gitkeep .gitignore .gitattributes LICENSE Makefile CMakeLists.txt " \
                "package.json package-lock.json tsconfig.json foundry.toml index.html run.sh", c, " ")
      for (i = 1; i <= n; i++) conventional[c[i]] = 1
    }
    !($NF in conventional) { count[$NF]++; where[$NF] = where[$NF] " " $0 }
    END { for (b in count) if (count[b] > 1) printf "style: basename: %s is shared by%s\n", b, where[b] }
  ' | sort > "$tmp/basename"
finish_check basename "$tmp/basename"

# ---- 4. modules include only public headers and their own ---------------------------------
# src/<module>/*: "zara/<x>.h" from include/zara/, or a header in its own folder (the CLI's
# generated command table too); include/zara/*.h: only "zara/<x>.h".
generated="cli_commands.inc"
grep -E '^(src/[^/]+|include/zara)/[^/]+$' "$tmp/sources" |
  while read -r f; do
    dir=$(dirname "$f")
    grep -nE '^[ \t]*#[ \t]*include[ \t]*[<"]' "$f" | while IFS= read -r hit; do
      line=${hit%%:*}
      inc=$(sed -E 's/^[^#]*#[ \t]*include[ \t]*[<"]([^">]*)[">].*/\1/' <<< "${hit#*:}")
      quoted=0
      [[ "${hit#*:}" =~ include[[:space:]]*\" ]] && quoted=1
      if [[ "$inc" == zara/* ]]; then
        [ -f "include/$inc" ] || echo "style: include: $f:$line: $inc is not a public header in include/zara/"
      elif [ "$quoted" -eq 1 ] && [ "$dir" = include/zara ]; then
        echo "style: include: $f:$line: public header includes \"$inc\" (only zara/*.h)"
      elif [ "$quoted" -eq 1 ] && [[ "$inc" != */* ]] &&
           { [ -f "$dir/$inc" ] || [[ " $generated " == *" $inc "* ]]; }; then
        : # its own header
      elif [[ "$inc" == *_int.h || "$inc" == *src/* || "$inc" == *../* ]]; then
        echo "style: include: $f:$line: \"$inc\" is another module's private header"
      elif [ "$quoted" -eq 1 ]; then
        echo "style: include: $f:$line: \"$inc\" is neither in include/zara/ nor in $dir/"
      fi
    done
  done > "$tmp/include"
finish_check include "$tmp/include"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
