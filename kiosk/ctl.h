/* kioskctl command groups that live in files of their own. Each returns the exit code. */
#ifndef KIOSK_CTL_H
#define KIOSK_CTL_H

int ctl_hal(int argc, char **argv); /* hal lock … */
int ctl_sim(int argc, char **argv); /* sim lock … */

#endif
