# SPDX-License-Identifier: BSD-2-Clause
"""What difftest.py, random_volumes.py and fuse_mount.py share: running the
reference readers (tools), preparing images (images), parsing outputs
(parse), comparing one image (compare), and running as root through sudo
(sudo)."""
