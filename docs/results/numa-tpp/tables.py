import json,sys
def M(b): return f"{b/2**20:.1f} MiB"
for path in sys.argv[1:]:
    d=json.load(open(path))
    print(f"\n`{path.split('/')[-1]}` (seed {d['seed']}):\n")
    print("| policy | norm. runtime | remote (run) | remote (settled) | A on node 0 | B on node 1 | CXL→0 | CXL→1 | 0↔1 moved | DRAM ping-pong pages | demoted | mon. CPU ms/s | wall s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows=[r for r in d['results'] if 'accessor_regions' in r]
    for r in rows:
        reg={g['name']:g for g in r['accessor_regions']}
        m=r['migrated_bytes']
        dem=sum(m[s][2] for s in (0,1))
        print(f"| `{r['policy']}` | {r['normalized_runtime']:.3f} | {100*r['remote_access_ratio']:.2f} % | {100*r['remote_access_ratio_settled']:.2f} % | {100*reg['A']['bytes_on_accessor_node_ratio']:.2f} % | {100*reg['B']['bytes_on_accessor_node_ratio']:.2f} % | {M(m[2][0])} | {M(m[2][1])} | {M(r['socket_migrated_bytes'])} | {r['socket_ping_pong_pages']} | {M(dem)} | {r['monitor_cpu_ms_per_sim_s']:.1f} | {r['wall_s']:.1f} |")
    print("\nWho moved what (`migrated_bytes_by`, MiB; `socket_ping_pong_by`, pages):\n")
    print("| policy | mover | CXL→0 | CXL→1 | 0→1 | 1→0 | →CXL | ping-pong pages (first / back) |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        by=r.get('migrated_bytes_by',{}); pp=r.get('socket_ping_pong_by',{})
        for k,v in by.items():
            mine=", ".join(f"{p}: {n}" for p,n in pp.items() if p.split(' / ')[0]==k) or "–"
            print(f"| `{r['policy']}` | `{k}` | {v[2][0]/2**20:.1f} | {v[2][1]/2**20:.1f} | {v[0][1]/2**20:.1f} | {v[1][0]/2**20:.1f} | {(v[0][2]+v[1][2])/2**20:.2f} | {mine} |")
