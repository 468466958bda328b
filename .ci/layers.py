#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The core's layers, from its compiled objects: no call cycle between them.

Usage: [NM=nm] python3 .ci/layers.py OBJ...   (the core's .o files)

Every object's defined and undefined global symbols (nm) give the edges
"A calls into B". Fails if
  * the graph has a cycle (two or more objects that reach each other),
  * an internal symbol ntfsi_X or ntfsi_X_... is defined anywhere but X.o (the file
    name is the prefix),
  * an object needs a symbol no core object defines (memcpy, say: the core
    is freestanding).
Prints the objects in layer order: each uses only those above it.
"""
import os
import re
import subprocess
import sys


def symbols(obj):
    out = subprocess.run([os.environ.get("NM", "nm"), "-P", "-g", obj], capture_output=True, text=True,
                         check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        (undefined if kind in "Uw" else defined).add(name)
    return defined, undefined


def main(objs):
    if not objs:
        print("layers: no objects given")
        return 1
    names = {}
    defs, uses = {}, {}
    for o in objs:
        n = re.sub(r"\.c\.o$|\.o$|\.obj$", "", os.path.basename(o))
        names[o] = n
        defs[n], uses[n] = symbols(o)
    owner = {}
    bad = 0
    for n, ds in defs.items():
        for s in ds:
            owner[s] = n
            m = re.match(r"ntfsi_([a-z0-9]+)(?:_|$)", s)
            if m and m.group(1) != n:
                print("layers: %s is defined in %s.o, not %s.o" % (s, n, m.group(1)))
                bad += 1
            elif s.startswith("ntfsi_") and not m:
                print("layers: %s in %s.o has no ntfsi_<file>_ prefix" % (s, n))
                bad += 1
    edges = {n: set() for n in defs}
    for n, us in uses.items():
        for s in us:
            if s not in owner:
                print("layers: %s.o needs %s, which the core does not define" % (n, s))
                bad += 1
            elif owner[s] != n:
                edges[n].add(owner[s])
    # Kahn's algorithm from the leaves: what is left is on a cycle.
    order, done = [], set()
    while True:
        ready = sorted(n for n in edges if n not in done and edges[n] <= done)
        if not ready:
            break
        order.append(ready)
        done.update(ready)
    left = sorted(set(edges) - done)
    if left:
        print("layers: call cycle among: %s" % ", ".join(left))
        for n in left:
            print("  %s -> %s" % (n, ", ".join(sorted(edges[n] & set(left)))))
        bad += 1
    for i, layer in enumerate(order):
        print("layer %d: %s" % (i, " ".join(layer)))
    print("layers: %d objects, %d call edges, %s" % (
        len(edges), sum(len(v) for v in edges.values()),
        "no cycle" if not left else "CYCLE"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
