// toucher MIB NODE SECONDS
// Allocates MIB of anonymous memory, moves it to NODE with move_pages(2) (NODE -1: leave it where the first touch
// put it), writes every page in a loop for SECONDS and prints the node histogram ("LABEL: node0=N node1=N") at the
// start, every 20 passes and at the end. SECONDS=9999 keeps the memory until the process is killed.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#define PAGE 4096L
#define MPOL_MF_MOVE 2

static void hist(char *p, long n, const char *label)
{
  void **pg = malloc(n * sizeof(void *));
  int *st = malloc(n * sizeof(int));
  long c[2] = {0};
  for (long i = 0; i < n; i++) pg[i] = p + i * PAGE;
  syscall(SYS_move_pages, 0, n, pg, NULL, st, 0);
  for (long i = 0; i < n; i++) if (st[i] == 0 || st[i] == 1) c[st[i]]++;
  printf("%s: node0=%ld node1=%ld\n", label, c[0], c[1]);
  fflush(stdout);
  free(pg); free(st);
}

int main(int argc, char **argv)
{
  if (argc < 4) { fprintf(stderr, "usage: toucher MIB NODE SECONDS\n"); return 2; }
  long mb = atol(argv[1]), n = mb * 256;
  int node = atoi(argv[2]), secs = atoi(argv[3]);
  char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { perror("toucher: mmap"); return 1; }
  madvise(p, n * PAGE, MADV_NOHUGEPAGE);
  memset(p, 1, n * PAGE);
  if (node >= 0) {
    void **pg = malloc(n * sizeof(void *));
    int *nd = malloc(n * sizeof(int)), *st = malloc(n * sizeof(int));
    for (long i = 0; i < n; i++) { pg[i] = p + i * PAGE; nd[i] = node; }
    syscall(SYS_move_pages, 0, n, pg, nd, st, MPOL_MF_MOVE);
    free(pg); free(nd); free(st);
  }
  hist(p, n, "start");
  time_t t0 = time(NULL);
  int k = 0;
  while (time(NULL) - t0 < secs) {
    for (long i = 0; i < n * PAGE; i += PAGE) p[i]++;
    if (++k % 20 == 0) { char l[32]; snprintf(l, sizeof l, "t=%lds", (long)(time(NULL) - t0)); hist(p, n, l); }
  }
  hist(p, n, "end");
  if (secs == 9999) pause();
  return 0;
}
