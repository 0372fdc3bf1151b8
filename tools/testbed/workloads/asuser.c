// asuser UID[:GID] COMMAND [ARGS...]
// Runs COMMAND as a non-root user in the test-bed guest, for the guest cases that check how Damon refuses to run
// without root. The busybox initramfs has no su/chpst/setpriv, so this drops privileges itself: setgroups(0),
// setgid(GID, default = UID), setuid(UID), then execvp. Exit 126 when privileges cannot be dropped (or are
// still there afterwards), 127 when COMMAND cannot be run, 2 on usage.
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
  if (argc < 3) { fprintf(stderr, "usage: asuser UID[:GID] COMMAND [ARGS...]\n"); return 2; }
  char *end;
  unsigned long uid = strtoul(argv[1], &end, 10), gid = uid;
  if (end == argv[1] || (*end && *end != ':')) { fprintf(stderr, "asuser: '%s' is not UID[:GID]\n", argv[1]); return 2; }
  if (*end == ':') {
    char *g = end + 1;
    gid = strtoul(g, &end, 10);
    if (end == g || *end) { fprintf(stderr, "asuser: '%s' is not UID[:GID]\n", argv[1]); return 2; }
  }
  if (uid == 0) { fprintf(stderr, "asuser: UID 0 would not drop anything\n"); return 2; }
  if (setgroups(0, NULL) || setgid((gid_t)gid) || setuid((uid_t)uid)) {
    fprintf(stderr, "asuser: dropping to %lu:%lu: %s\n", uid, gid, strerror(errno));
    return 126;
  }
  if (setuid(0) == 0) { fprintf(stderr, "asuser: still able to become root after setuid(%lu)\n", uid); return 126; }
  execvp(argv[2], argv + 2);
  fprintf(stderr, "asuser: %s: %s\n", argv[2], strerror(errno));
  return 127;
}
