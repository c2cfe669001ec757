#!/usr/bin/env python3
"""Lists the string literals of 12 or more characters that both src/CacheNode and src/Router
contain: texts written twice that belong in one shared home (src/Hosting, src/ClientContract).

Usage: scripts/shared-literals.py [--min N] [DIR_A DIR_B]   (from the repository root)
Prints each shared literal, then the count. Generated files (bin/, obj/) are not read.
"""
import pathlib
import re
import sys

# A regular C# string literal, or the text of an interpolated one (its holes included).
LITERAL = re.compile(r'\$?@?"((?:[^"\\\n]|\\.)*)"')


def literals(root: pathlib.Path, minimum: int) -> set[str]:
    found = set()
    for path in root.rglob("*.cs"):
        if {"bin", "obj"} & set(path.relative_to(root).parts):
            continue
        for text in LITERAL.findall(path.read_text(encoding="utf-8")):
            if len(text) >= minimum:
                found.add(text)
    return found


def main(argv: list[str]) -> int:
    minimum = 12
    if argv[:1] == ["--min"]:
        minimum, argv = int(argv[1]), argv[2:]
    first, second = (argv + ["src/CacheNode", "src/Router"][len(argv):])[:2]
    shared = sorted(literals(pathlib.Path(first), minimum) & literals(pathlib.Path(second), minimum))
    for text in shared:
        print(f'"{text}"')
    print(f"{len(shared)} string literals of {minimum}+ characters in both {first} and {second}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
