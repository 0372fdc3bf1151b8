// tierprobe [-t TOTAL_MIB] [-h HOT_MIB] [-o HOT_OFFSET_MIB] [-n NODE] [-d SECONDS] [-c COLD_PERIOD_S] [-i INTERVAL_S] [-r]
// Measurement workload for tiering in the test-bed guest: the same probe measures Damon (user and kernel mode) and
// the kernel's own NUMA-balancing tiering, because it reports where its pages are, whatever moved them.
//
// Allocates TOTAL_MIB (default 64) of anonymous memory with MADV_NOHUGEPAGE (4 KiB pages, so placement is per page),
// first-touches it, moves ALL of it to NODE (default 1, the slow tier) with move_pages(2), prints one header line
//   tierprobe pid=P page_size=4096 total_pages=N hot=0xS-0xE hot_pages=N cold_pages=N node=1 placed=N
//             cold_period_s=C interval_s=I duration_s=D cleared_refs=0|1 t0_uptime=U
// (hot=S-E half-open, hexadecimal; the cold set is the rest of [base, base + TOTAL); t0_uptime is CLOCK_BOOTTIME in
// seconds at t=0, the clock of /proc/uptime, so a script can say when its policy started on the probe's time axis),
// With -r the accessed bits of all its pages are cleared after the placement (echo 1 > /proc/self/clear_refs), so at
// t=0 the cold pages look as long untouched as they are meant to be, not freshly written by the first touch.
// Then it writes one byte of every hot page in a loop for SECONDS (default 30), writes every cold page once every
// COLD_PERIOD_S (default 0: never), and every INTERVAL_S (default 0.25) of wall time prints
//   t=1.250 hot_node0=N hot_total=N cold_node0=N cold_total=N hot_node1=N cold_node1=N hot_other=N cold_other=N passes=N
// from a move_pages(2) query (nodes == NULL: no page moves) of all its pages; "other" counts pages whose status is
// neither node 0 nor node 1 (a negative errno such as -EFAULT for a page that is not present, e.g. swapped out).
// The last line is "tierprobe done t=... passes=N". Exit 0, or 1 when allocation or placement fails, 2 on usage.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PAGE_SZ 4096UL
#define MPOL_MF_MOVE 2

static double clock_s(clockid_t id)
{
  struct timespec t;
  clock_gettime(id, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

struct counts { long node0, node1, other; };

// One move_pages query of every page; the status array tells each page's node (or a negative errno).
static void query(void **pages, int *status, long from, long to, struct counts *c)
{
  c->node0 = c->node1 = c->other = 0;
  if (to <= from) return;
  long rc = syscall(SYS_move_pages, 0, to - from, pages + from, NULL, status + from, 0);
  for (long i = from; i < to; i++) {
    if (rc < 0) c->other++;
    else if (status[i] == 0) c->node0++;
    else if (status[i] == 1) c->node1++;
    else c->other++;
  }
}

static void usage(void)
{
  fprintf(stderr, "usage: tierprobe [-t TOTAL_MIB] [-h HOT_MIB] [-o HOT_OFFSET_MIB] [-n NODE] [-d SECONDS] "
                  "[-c COLD_PERIOD_S] [-i INTERVAL_S] [-r]\n");
  exit(2);
}

int main(int argc, char **argv)
{
  long total_mib = 64, hot_mib = 8, hot_off_mib = 0;
  int node = 1;
  double duration_s = 30, cold_period_s = 0, interval_s = 0.25;
  int opt, clear_refs = 0;
  while ((opt = getopt(argc, argv, "t:h:o:n:d:c:i:r")) != -1) {
    char *end = NULL;
    switch (opt) {
    case 't': total_mib = strtol(optarg, &end, 10); break;
    case 'h': hot_mib = strtol(optarg, &end, 10); break;
    case 'o': hot_off_mib = strtol(optarg, &end, 10); break;
    case 'n': node = (int)strtol(optarg, &end, 10); break;
    case 'd': duration_s = strtod(optarg, &end); break;
    case 'c': cold_period_s = strtod(optarg, &end); break;
    case 'i': interval_s = strtod(optarg, &end); break;
    case 'r': clear_refs = 1; continue;
    default: usage();
    }
    if (!end || *end) { fprintf(stderr, "tierprobe: -%c %s: not a number\n", opt, optarg); return 2; }
  }
  if (optind != argc) usage();
  if (total_mib <= 0 || hot_mib <= 0 || hot_off_mib < 0 || hot_off_mib + hot_mib > total_mib) {
    fprintf(stderr, "tierprobe: need 0 < HOT_MIB, 0 <= HOT_OFFSET_MIB, HOT_OFFSET_MIB + HOT_MIB <= TOTAL_MIB\n");
    return 2;
  }
  if (duration_s <= 0 || interval_s <= 0 || cold_period_s < 0) {
    fprintf(stderr, "tierprobe: need SECONDS > 0, INTERVAL_S > 0, COLD_PERIOD_S >= 0\n");
    return 2;
  }

  size_t total = (size_t)total_mib << 20;
  long n = (long)(total / PAGE_SZ), hot_from = (hot_off_mib << 20) / PAGE_SZ, hot_to = hot_from + (hot_mib << 20) / PAGE_SZ;
  char *p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { perror("tierprobe: mmap"); return 1; }
  if (madvise(p, total, MADV_NOHUGEPAGE)) perror("tierprobe: madvise(MADV_NOHUGEPAGE)");
  memset(p, 1, total);

  void **pages = malloc(n * sizeof(void *));
  int *nodes = malloc(n * sizeof(int)), *status = malloc(n * sizeof(int));
  if (!pages || !nodes || !status) { fprintf(stderr, "tierprobe: out of memory for the page arrays\n"); return 1; }
  for (long i = 0; i < n; i++) { pages[i] = p + i * PAGE_SZ; nodes[i] = node; status[i] = -1; }
  long rc = syscall(SYS_move_pages, 0, n, pages, nodes, status, MPOL_MF_MOVE);
  if (rc < 0) { fprintf(stderr, "tierprobe: move_pages to node %d: %s\n", node, strerror(errno)); return 1; }
  long placed = 0;
  for (long i = 0; i < n; i++) placed += status[i] == node;
  if (clear_refs) {
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f || fputs("1", f) == EOF || fclose(f) == EOF) { perror("tierprobe: /proc/self/clear_refs"); return 1; }
  }
  // The cold set is [0, hot_from) and [hot_to, n); query them as two runs of the status array.
  char *hot_start = p + hot_from * PAGE_SZ, *hot_end = p + hot_to * PAGE_SZ;

  double t0 = clock_s(CLOCK_MONOTONIC);
  printf("tierprobe pid=%d page_size=%lu total_pages=%ld base=%p end=%p hot=%p-%p hot_pages=%ld cold_pages=%ld node=%d "
         "placed=%ld cold_period_s=%g interval_s=%g duration_s=%g cleared_refs=%d t0_uptime=%.3f\n",
         getpid(), PAGE_SZ, n, (void *)p, (void *)(p + total), (void *)hot_start, (void *)hot_end, hot_to - hot_from,
         n - (hot_to - hot_from), node, placed, cold_period_s, interval_s, duration_s, clear_refs, clock_s(CLOCK_BOOTTIME));
  fflush(stdout);

  double next_report = interval_s, next_cold = cold_period_s > 0 ? cold_period_s : -1;
  long passes = 0;
  for (;;) {
    for (char *q = hot_start; q < hot_end; q += PAGE_SZ) (*(volatile char *)q)++;
    passes++;
    double t = clock_s(CLOCK_MONOTONIC) - t0;
    if (next_cold > 0 && t >= next_cold) {
      for (long i = 0; i < n; i++)
        if (i < hot_from || i >= hot_to) (*(volatile char *)(p + i * PAGE_SZ))++;
      next_cold += cold_period_s;
    }
    if (t >= next_report) {
      struct counts h, c1, c2;
      query(pages, status, hot_from, hot_to, &h);
      query(pages, status, 0, hot_from, &c1);
      query(pages, status, hot_to, n, &c2);
      printf("t=%.3f hot_node0=%ld hot_total=%ld cold_node0=%ld cold_total=%ld hot_node1=%ld cold_node1=%ld "
             "hot_other=%ld cold_other=%ld passes=%ld\n",
             t, h.node0, hot_to - hot_from, c1.node0 + c2.node0, n - (hot_to - hot_from), h.node1, c1.node1 + c2.node1,
             h.other, c1.other + c2.other, passes);
      fflush(stdout);
      // Report at multiples of the interval; a slow pass (TCG, a busy host) skips ticks rather than bunching them.
      while (next_report <= t) next_report += interval_s;
    }
    if (t >= duration_s) { printf("tierprobe done t=%.3f passes=%ld\n", t, passes); return 0; }
  }
}
