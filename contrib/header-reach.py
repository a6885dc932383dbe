#!/usr/bin/env python3
"""How far the heavy headers reach: for each product .cc (not tests/, not
generated), whether its preprocessed include set holds nlohmann/json.hpp and
the generated CRI protobuf header. Reads a build dir's compile_commands.json
(configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON) and asks the compiler
(-M -MG: a generated header that is not there yet still counts).

  contrib/header-reach.py build [-v]   # -v: name the files that reach them
"""
import json
import os
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HEAVY = {"nlohmann/json.hpp": "nlohmann/json.hpp", "api.pb.h": "cri/api/api.pb.h"}


def deps(entry):
    args = shlex.split(entry["command"])
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD"):
            continue
        out.append(a)
    r = subprocess.run(out + ["-M", "-MG"], cwd=entry["directory"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{entry['file']}: {r.stderr[:2000]}")
    return r.stdout.replace("\\\n", " ").split()


def main():
    build, verbose = sys.argv[1], "-v" in sys.argv[2:]
    src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    entries, seen, gen = [], set(), os.path.abspath(build) + os.sep
    for e in json.load(open(os.path.join(build, "compile_commands.json"))):
        rel = os.path.relpath(e["file"], src)
        if e["file"].startswith(gen) or rel.startswith(("tests/", "cmake/", "..")) or rel in seen:
            continue
        seen.add(rel)
        entries.append((rel, e))
    with ThreadPoolExecutor(2) as pool:
        sets = dict(zip([r for r, _ in entries], pool.map(deps, [e for _, e in entries])))
    print(f"{len(sets)} product .cc files")
    for name, path in HEAVY.items():
        hits = sorted(f for f, d in sets.items() if any(x.endswith(path) for x in d))
        print(f"{name}: reaches {len(hits)}")
        if verbose:
            print("  " + "\n  ".join(hits))


if __name__ == "__main__":
    main()
