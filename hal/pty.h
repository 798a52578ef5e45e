/* A pty whose slave is reachable at a path of the caller's choosing (a symlink), for the
 * simulators: the drivers open that path as they would a real port. */
#ifndef KIOSK_HAL_PTY_H
#define KIOSK_HAL_PTY_H

#include <stddef.h>

/* Opens a raw pty (master non-blocking, both close-on-exec) and links link_path to its
 * slave, replacing a stale link; the slave's name into name (cap bytes). kiosk_err. */
int hal_pty_link(const char *link_path, int *master, int *slave, char *name, size_t cap);
/* Removes link_path if it still points at name (a simulator started meanwhile on the same
 * path keeps its link), and closes both ends. */
void hal_pty_unlink(const char *link_path, const char *name, int master, int slave);

#endif
