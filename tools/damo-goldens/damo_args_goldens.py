#!/usr/bin/env python3
# Runs damo 3.3's `damo args damon OPTIONS --format FORMAT` from the mirror's source with damo's
# feature probe replaced by a fixed answer, so nothing reads or writes the machine's DAMON sysfs.
# Never run in CI; the output is checked in as golden files.
#
# usage: damo_args_goldens.py DAMO_SRC FEATURES -- DAMO_ARGS_DAMON_OPTIONS...
#   FEATURES: comma-separated damo feature names reported as available (e.g.
#             sysfs/damon_sample_control), or '-' for none
# DAMO_GOLDEN_NODES (optional): 'NID:START-END,...' System RAM per NUMA node, answered to damo's
#   physical layout reader (damo_pa_layout.paddr_ranges, which --numa_node reads through
#   numa_addr_ranges -> paddr_region_of) instead of this machine's /proc/iomem and memblock.
import os
import sys

damo_src, features = sys.argv[1], sys.argv[2]
assert sys.argv[3] == '--'
sys.path.insert(0, damo_src)

import _damo_sysinfo
import _damon

available = set() if features == '-' else set(features.split(','))
_damo_sysinfo.damon_feature_available = lambda name: name in available
_damo_sysinfo.get_sysinfo = lambda: (None, 'feature probe disabled for goldens')
_damon.ensure_root_permission = lambda: None

nodes = os.environ.get('DAMO_GOLDEN_NODES')
if nodes:
    import damo_pa_layout
    layout = []
    for word in nodes.split(','):
        nid, span = word.split(':')
        start, end = span.split('-')
        layout.append(damo_pa_layout.PaddrRange(int(start), int(end), int(nid), 'online', 'System RAM'))
    damo_pa_layout.paddr_ranges = lambda: layout

import damo
sys.argv = ['damo', 'args', 'damon'] + sys.argv[4:]
damo.main()
