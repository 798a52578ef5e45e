/* A process's memory as the kernel counts it (/proc/PID/status), for the soak's samples
 * and the bench's tables. Linux only, like the rest of the kiosk. */
#ifndef KIOSK_HAL_MEM_H
#define KIOSK_HAL_MEM_H

#include <sys/types.h>

/* The KiB of a "Vm…:" line of /proc/<pid>/status (pid 0: this process), e.g. "VmRSS:" for
 * the resident set or "VmHWM:" for its peak; -1 when the file or the line is not there. */
long kiosk_proc_status_kb(pid_t pid, const char *field);

#endif
