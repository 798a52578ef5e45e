/* kioskctl command groups that live in files of their own. Each returns the exit code. */
#ifndef KIOSK_CTL_H
#define KIOSK_CTL_H

int ctl_hal(int argc, char **argv); /* hal lock … */
int ctl_sim(int argc, char **argv); /* sim lock … */
int ctl_map(int argc, char **argv); /* map import | times */
int ctl_directory(int argc, char **argv); /* directory search */
int ctl_report(int argc, char **argv); /* report coverage */

#endif
