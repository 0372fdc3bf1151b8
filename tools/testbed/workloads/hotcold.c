// hotcold TOTAL_MIB HOT_MIB WARM_MIB [NODE]
// Anonymous workload with a known access pattern, for DAMON / tiering checks in the test-bed guest.
// The first HOT_MIB are written continuously, the next WARM_MIB about every 2 s, the rest never again after the
// first touch. With NODE >= 0 every page is first moved to that node with move_pages(2), so a tiering run starts
// from a known placement. Prints one line "hotcold pid=... base=... end=... hot=...-... warm=...-... node=..."
// (hexadecimal, half-open ranges) once placed, then runs until killed.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PAGE 4096UL
#define MPOL_MF_MOVE 2

static int place(char *p, size_t sz, int node)
{
  size_t n = sz / PAGE;
  void **pages = malloc(n * sizeof(void *));
  int *nodes = malloc(n * sizeof(int)), *status = malloc(n * sizeof(int));
  if (!pages || !nodes || !status) return -1;
  for (size_t i = 0; i < n; i++) { pages[i] = p + i * PAGE; nodes[i] = node; status[i] = -1; }
  long rc = syscall(SYS_move_pages, 0, n, pages, nodes, status, MPOL_MF_MOVE);
  if (rc < 0) { fprintf(stderr, "hotcold: move_pages to node %d: %s\n", node, strerror(errno)); return -1; }
  size_t off = 0;
  for (size_t i = 0; i < n; i++) if (status[i] != node) off++;
  if (off) fprintf(stderr, "hotcold: %zu of %zu pages not on node %d after move_pages\n", off, n, node);
  free(pages); free(nodes); free(status);
  return 0;
}

int main(int argc, char **argv)
{
  if (argc < 4) { fprintf(stderr, "usage: hotcold TOTAL_MIB HOT_MIB WARM_MIB [NODE]\n"); return 2; }
  size_t total = strtoul(argv[1], 0, 10) << 20, hot = strtoul(argv[2], 0, 10) << 20, warm = strtoul(argv[3], 0, 10) << 20;
  int node = argc > 4 ? atoi(argv[4]) : -1;
  if (!total || hot + warm > total) { fprintf(stderr, "hotcold: need HOT_MIB + WARM_MIB <= TOTAL_MIB, TOTAL_MIB > 0\n"); return 2; }
  char *p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { perror("hotcold: mmap"); return 1; }
  madvise(p, total, MADV_NOHUGEPAGE);   // 4 KiB pages, so per-page placement and DAMON regions are exact
  memset(p, 1, total);
  if (node >= 0 && place(p, total, node) != 0) return 1;
  printf("hotcold pid=%d base=%p end=%p hot=%p-%p warm=%p-%p node=%d\n", getpid(), (void *)p, (void *)(p + total),
         (void *)p, (void *)(p + hot), (void *)(p + hot), (void *)(p + hot + warm), node);
  fflush(stdout);
  time_t last = time(NULL);
  for (;;) {
    for (size_t i = 0; i < hot; i += PAGE) p[i]++;
    if (time(NULL) - last >= 2) { for (size_t i = hot; i < hot + warm; i += PAGE) p[i]++; last = time(NULL); }
    usleep(1000);
  }
}
