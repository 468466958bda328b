# SPDX-License-Identifier: BSD-2-Clause
"""What difftest.py and random_volumes.py share: running the reference
readers (tools), preparing images (images), parsing outputs (parse) and
comparing one image (compare)."""
