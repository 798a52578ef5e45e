/* Headless UI scripts: a line-based script drives taps and checks what is on screen, on
 * a virtual clock (`wait` advances it instantly). Used by CTest for every screen.
 *
 *   # comment
 *   tap <id-or-label>      tap-at <x> <y>      key <escape|back>
 *   wait <ms>              expect-screen <name>
 *   expect-text <text>     expect-no-text <text>
 *   screenshot <file.png>  (relative to the screenshots directory)
 */
#ifndef KIOSK_SCREENS_SCRIPT_H
#define KIOSK_SCREENS_SCRIPT_H

#include "kiosk/core.h"

struct ui;

/* Runs the script at path. Returns KIOSK_OK when every line held; otherwise prints the
 * failing line number, what was expected and the visible texts on stderr, writes
 * <script>-fail.png into shots_dir, and returns KIOSK_EINVAL (bad line) or KIOSK_ESTATE
 * (an expectation did not hold). shots_dir NULL = the current directory. */
int ui_script_run(struct ui *ui, struct kiosk_core *core, const char *path, const char *shots_dir);

#endif
