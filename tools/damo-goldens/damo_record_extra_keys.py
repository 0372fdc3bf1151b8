#!/usr/bin/env python3
# Checks what damo 3.3 does with keys it does not know in a record (docs/records.md, "Extra
# per-report fields and damo"): adds one extra key per record, snapshot and region to a JSON
# record, writes both versions json_compressed, runs damo's `report access`, `report heatmap
# --output raw` and `report wss` on each from damo's source, and says whether the outputs are the
# same. Never run in CI.
#
# usage: damo_record_extra_keys.py DAMO_SRC RECORD.json   (e.g. from `damon record --format json`)
import json
import os
import subprocess
import sys
import tempfile
import zlib

damo_src, record = sys.argv[1], sys.argv[2]
runner = '''
import sys
sys.path.insert(0, sys.argv[1])
import _damo_sysinfo, _damon
_damo_sysinfo.damon_feature_available = lambda name: False
_damo_sysinfo.get_sysinfo = lambda: (None, 'feature probe disabled')
_damon.ensure_root_permission = lambda: None
import damo
sys.argv = ['damo'] + sys.argv[2:]
damo.main()
'''
records = json.load(open(record))
plain = json.dumps(records)
for r in records:
    r['sample_control'] = {'primitives_enabled': {'page_table': False, 'page_fault': True}}
    for s in r['snapshots']:
        s['access_reports'] = {'nr_dropped': 3}
        for g in s['regions']:
            g['accesses_by'] = {'cpu': {'0': 2}, 'tid': {'101': 2}, 'write': 1, 'read': 1}
extra = json.dumps(records)
with tempfile.TemporaryDirectory() as d:
    outputs = {}
    for name, text in (('plain', plain), ('extra', extra)):
        path = os.path.join(d, name + '.data')
        with open(path, 'wb') as f:
            f.write(zlib.compress(text.encode()))
        for report in (['access'], ['heatmap', '--output', 'raw'], ['wss']):
            p = subprocess.run([sys.executable, '-c', runner, damo_src, 'report'] + report + ['--input', path],
                               capture_output=True, text=True)
            outputs[(name, report[0])] = (p.returncode, p.stdout)
    for report in ('access', 'heatmap', 'wss'):
        same = outputs[('plain', report)] == outputs[('extra', report)]
        print('%s: exit %d, %s' % (report, outputs[('extra', report)][0], 'same output' if same else 'DIFFERENT output'))
