#!/usr/bin/env python3
# Runs damo 3.3's own sysfs writer (_damon_sysfs.stage_kdamonds + the 'on' command) against a
# small model of the kernel's DAMON admin tree laid out in a temporary directory, and prints the
# ordered reads and writes it does. Never run in CI; the output is checked in as golden files.
#
# usage: damo_sysfs_goldens.py DAMO_SRC LEVEL -- DAMO_OPTIONS...
#   DAMO_SRC: damo's src/ directory (git archive v3.3.0 of the mirror, see README.md)
#   LEVEL:    6.12 (filters/ only), 7.2 (core_filters/ + ops_filters/, dests, goal nid/path, ...) or
#             reports (7.2 plus the access-reporting hack tree's monitoring_attrs/sample/, with damo's
#             sysfs/damon_sample_control feature reported available)
import argparse
import os
import shutil
import sys
import tempfile

damo_src, level = sys.argv[1], sys.argv[2]
assert sys.argv[3] == '--'
damo_options = sys.argv[4:]
sys.path.insert(0, damo_src)

import _damo_fs
import _damo_sysinfo
import _damon_args
import _damon_sysfs
import damo_start

NEW = level in ('7.2', 'reports')
SAMPLE = level == 'reports'

# --- the kernel's tree, as far as damo's writer looks at it ---------------------------------
def mkfile(path, value):
    with open(path, 'w') as f:
        f.write(value + '\n')

def mkdir(path):
    os.makedirs(path, exist_ok=True)

def files(d, kv):
    mkdir(d)
    for k, v in kv.items():
        mkfile(os.path.join(d, k), v)

def make_filter(d):
    kv = {'type': 'anon', 'matching': 'N', 'memcg_path': '', 'addr_start': '0', 'addr_end': '0',
          'damon_target_idx': '0'}
    if NEW:
        kv.update({'allow': 'N', 'min': '0', 'max': '0'})
    files(d, kv)

def make_goal(d):
    kv = {'target_metric': 'user_input', 'target_value': '0', 'current_value': '0'}
    if NEW:
        kv.update({'nid': '0', 'path': ''})
    files(d, kv)

def make_dest(d):
    files(d, {'id': '0', 'weight': '0'})

def make_region(d):
    files(d, {'start': '0', 'end': '0'})

def make_target(d):
    kv = {'pid_target': '0'}
    if NEW:
        kv['obsolete_target'] = 'N'
    files(d, kv)
    nr_dir(os.path.join(d, 'regions'), 'nr_regions')

def make_probe_filter(d):
    files(d, {'type': 'anon', 'matching': 'N', 'allow': 'N', 'path': ''})

def make_sample_filter(d):
    # sysfs-sample.c's kzalloc'd filter: type 0 (cpumask), N, N, an empty mask, no tid_arr
    files(d, {'type': 'cpumask', 'matching': 'N', 'allow': 'N', 'cpumask': '', 'tid_arr': ''})

def make_probe(d):
    mkdir(d)
    nr_dir(os.path.join(d, 'filters'), 'nr_filters')

def make_scheme(d):
    files(d, {'action': 'stat', 'target_nid': '-1', 'apply_interval_us': '0'})
    for x in ['sz', 'nr_accesses', 'age']:
        files(os.path.join(d, 'access_pattern', x), {'min': '0', 'max': '0'})
    q = {'ms': '0', 'bytes': '0', 'reset_interval_ms': '0', 'effective_bytes': '0'}
    if NEW:
        q.update({'goal_tuner': 'consist', 'fail_charge_num': '0', 'fail_charge_denom': '0'})
    files(os.path.join(d, 'quotas'), q)
    files(os.path.join(d, 'quotas', 'weights'),
          {'sz_permil': '0', 'nr_accesses_permil': '0', 'age_permil': '0'})
    nr_dir(os.path.join(d, 'quotas', 'goals'), 'nr_goals')
    files(os.path.join(d, 'watermarks'),
          {'metric': 'none', 'interval_us': '0', 'high': '0', 'mid': '0', 'low': '0'})
    if NEW:
        nr_dir(os.path.join(d, 'core_filters'), 'nr_filters')
        nr_dir(os.path.join(d, 'ops_filters'), 'nr_filters')
        nr_dir(os.path.join(d, 'dests'), 'nr_dests')
    nr_dir(os.path.join(d, 'filters'), 'nr_filters')
    st = {'nr_tried': '0', 'sz_tried': '0', 'nr_applied': '0', 'sz_applied': '0', 'qt_exceeds': '0'}
    if NEW:
        st.update({'sz_ops_filter_passed': '0', 'nr_snapshots': '0', 'max_nr_snapshots': '0'})
    files(os.path.join(d, 'stats'), st)
    files(os.path.join(d, 'tried_regions'), {'total_bytes': '0'})

def make_context(d):
    kv = {'avail_operations': 'vaddr\nfvaddr\npaddr', 'operations': 'vaddr'}
    if NEW:
        kv.update({'addr_unit': '1', 'pause': 'N'})
    files(d, kv)
    files(os.path.join(d, 'monitoring_attrs', 'intervals'),
          {'sample_us': '5000', 'aggr_us': '100000', 'update_us': '60000000'})
    if NEW:
        files(os.path.join(d, 'monitoring_attrs', 'intervals', 'intervals_goal'),
              {'access_bp': '0', 'aggrs': '0', 'min_sample_us': '0', 'max_sample_us': '0'})
        nr_dir(os.path.join(d, 'monitoring_attrs', 'probes'), 'nr_probes')
    files(os.path.join(d, 'monitoring_attrs', 'nr_regions'), {'min': '10', 'max': '1000'})
    if SAMPLE:
        files(os.path.join(d, 'monitoring_attrs', 'sample', 'primitives'),
              {'page_table': 'Y', 'page_fault': 'N'})
        nr_dir(os.path.join(d, 'monitoring_attrs', 'sample', 'filters'), 'nr_filters')
        nr_dir(os.path.join(d, 'monitoring_attrs', 'sample', 'perf_events'), 'nr_perf_events')
    nr_dir(os.path.join(d, 'targets'), 'nr_targets')
    nr_dir(os.path.join(d, 'schemes'), 'nr_schemes')

def make_kdamond(d):
    kv = {'state': 'off', 'pid': '-1'}
    if NEW:
        kv['refresh_ms'] = '0'
    files(d, kv)
    nr_dir(os.path.join(d, 'contexts'), 'nr_contexts')

CHILD_MAKERS = {
    'nr_kdamonds': make_kdamond, 'nr_contexts': make_context, 'nr_targets': make_target,
    'nr_regions': make_region, 'nr_schemes': make_scheme, 'nr_goals': make_goal,
    'nr_dests': make_dest, 'nr_probes': make_probe,
}

def nr_dir(d, nr_name):
    files(d, {nr_name: '0'})

def child_maker(path):
    name = os.path.basename(path)
    if name == 'nr_filters':
        # probes/<P>/filters/nr_filters holds probe filters, sample/filters/nr_filters sample
        # filters; every other nr_filters DAMOS filters
        if os.path.basename(os.path.dirname(os.path.dirname(path))) == 'sample':
            return make_sample_filter
        probes = os.path.dirname(os.path.dirname(os.path.dirname(path)))
        return make_probe_filter if os.path.basename(probes) == 'probes' else make_filter
    return CHILD_MAKERS[name]

# --- logging the I/O damo does ----------------------------------------------------------------
root = tempfile.mkdtemp(prefix='damo-goldens-')
admin = os.path.join(root, 'kernel/mm/damon/admin')
nr_dir(os.path.join(admin, 'kdamonds'), 'nr_kdamonds')
log = []

def rel(p):
    return os.path.relpath(p, admin)

orig_read = _damo_fs.read_file
def read_file(path):
    content, err = orig_read(path)
    log.append('read %s: %s' % (rel(path), content.strip() if content is not None else '<error>'))
    return content, err

def write_file(path, content):
    content = content.strip()
    log.append('write %s: %s' % (rel(path), content))
    if not os.path.isfile(path):
        return 'writing %s to %s failed (no such file)' % (content, path)
    name = os.path.basename(path)
    if name in CHILD_MAKERS or name == 'nr_filters':
        d = os.path.dirname(path)
        old = int(open(path).read())
        new = int(content)
        for i in range(old, new):
            child_maker(path)(os.path.join(d, '%d' % i))
        for i in range(new, old):
            shutil.rmtree(os.path.join(d, '%d' % i))
    elif name == 'state' and content == 'on':
        mkfile(os.path.join(os.path.dirname(path), 'pid'), '4242')
    mkfile(path, content)
    return None

_damo_fs.read_file = read_file
_damo_fs.write_file = write_file
_damon_sysfs.sysfs_root = root
# Features that change how damo builds the kdamonds from options; sample control is not mainline,
# so only the 'reports' tree has it.
_damo_sysinfo.damon_feature_available = lambda name: SAMPLE and name == 'sysfs/damon_sample_control'
_damon_sysfs.time.sleep = lambda s: None

parser = damo_start.set_argparser(argparse.ArgumentParser())
args = parser.parse_args(damo_options)
kdamonds, err = _damon_args.kdamonds_for(args)
if err:
    sys.exit('kdamonds_for: %s' % err)
err = _damon_sysfs.stage_kdamonds(kdamonds)
if err:
    sys.exit('stage_kdamonds: %s' % err)
err = _damon_sysfs.turn_damon_on(['%d' % i for i in range(len(kdamonds))])
if err:
    sys.exit('turn_damon_on: %s' % err)
print('# damo 3.3 %s, tree level %s' % (' '.join(damo_options), level))
for line in log:
    print(line)
