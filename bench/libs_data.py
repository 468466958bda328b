#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write 256 MiB of executable-like data to PATH: the system's shared
libraries over and over (what the LZNT1 benchmarks read back).

Usage: python3 bench/libs_data.py PATH
"""
import glob
import os
import sys

libs = sorted(p for p in glob.glob("/usr/lib/x86_64-linux-gnu/*.so*")
              if os.path.isfile(p) and os.path.getsize(p) > 0)
if not libs:
    sys.exit("libs_data: no shared libraries in /usr/lib/x86_64-linux-gnu")
left = 256 << 20
with open(sys.argv[1], "wb") as out:
    while left > 0:
        for p in libs:
            with open(p, "rb") as f:
                data = f.read()[:left]
            out.write(data)
            left -= len(data)
            if left == 0:
                break
