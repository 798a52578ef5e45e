/* Where the kiosk keeps its state and its socket when the config does not say: the
 * directories systemd made for the unit ($STATE_DIRECTORY, $RUNTIME_DIRECTORY), else the
 * user's XDG directories ($XDG_STATE_HOME or ~/.local/state; $XDG_RUNTIME_DIR or, where
 * no session made one, /tmp/kiosk-<uid>), each with "kiosk" below it. So a new user runs
 * `kiosk` with no config, no root and no systemd, and a second user never shares the
 * first one's files. */
#ifndef KIOSK_PATHS_H
#define KIOSK_PATHS_H

#include <stddef.h>

/* The folder for the store and the device key; for the control socket. 0, or
 * KIOSK_ENOSPACE when out (n bytes) is too small. Nothing is created. */
int kiosk_paths_state_dir(char *out, size_t n);
int kiosk_paths_runtime_dir(char *out, size_t n);
/* Creates the folder that holds file (and the folders above it) with mode 0700 where
 * missing; existing folders are left as they are. KIOSK_OK, or the errno's error, logged
 * with the folder's name. */
int kiosk_paths_make_parent(const char *file);
/* Is the folder holding file safe to keep a secret in? KIOSK_EPERM with why (naming the
 * folder and the fix) when any user may write there without the sticky bit. */
int kiosk_paths_private(const char *file, char *why, size_t wlen);
/* Creates dir (and the folders above it) with mode 0700 where missing. */
int kiosk_paths_make_dir(const char *dir);

/* One kiosk per store: takes an exclusive flock on "<file>.lock" (created 0600) and writes
 * our pid into it. The lock lives as long as *fd stays open (the process's lifetime; the
 * kernel drops it on any exit, SIGKILL included, so a crash never leaves a stale lock).
 * KIOSK_OK with *fd set; KIOSK_EBUSY when another process holds it, with its pid in
 * *holder (0 when it could not be read); else the errno's error. Close *fd to release. */
int kiosk_paths_lock(const char *file, int *fd, long *holder);

#endif
