/* kioskctl command groups that live in files of their own. Each returns the exit code. */
#ifndef KIOSK_CTL_H
#define KIOSK_CTL_H

int ctl_hal(int argc, char **argv); /* hal lock … | hal vend … */
int ctl_sim(int argc, char **argv); /* sim lock … | sim vend … */
int ctl_hal_vend(int argc, char **argv); /* vend.c */
int ctl_sim_vend(int argc, char **argv);
int ctl_hal_mdb(int argc, char **argv); /* mdb.c */
int ctl_sim_mdb(int argc, char **argv);
/* A simulator's life in the foreground: step(sim) as its fd and time say, each stdin line
 * to command(sim, line) (answered "ok" or "unknown command"), until SIGINT or SIGTERM. */
void ctl_sim_run(int fd, void (*step)(void *), int (*command)(void *, const char *), void *sim);
int ctl_map(int argc, char **argv); /* map import | times */
int ctl_directory(int argc, char **argv); /* directory search */
int ctl_report(int argc, char **argv); /* report coverage */
int ctl_dex(int argc, char **argv); /* dex export */
int ctl_hal_usbdev(int argc, char **argv); /* usbdev.c: hal usb list | print | scan */
int ctl_sim_usbdev(int argc, char **argv); /* sim printer | sim scanner */

#endif
