#!/usr/bin/env python3
# Runs damo 3.3's `damo args damon OPTIONS --format FORMAT` from the mirror's source with damo's
# feature probe replaced by a fixed answer, so nothing reads or writes the machine's DAMON sysfs.
# Never run in CI; the output is checked in as golden files.
#
# usage: damo_args_goldens.py DAMO_SRC FEATURES -- DAMO_ARGS_DAMON_OPTIONS...
#   FEATURES: comma-separated damo feature names reported as available (e.g.
#             sysfs/damon_sample_control), or '-' for none
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

import damo
sys.argv = ['damo', 'args', 'damon'] + sys.argv[4:]
damo.main()
