/* Headless UI scripts: a line-based script drives taps and checks what is on screen, on
 * a virtual clock (`wait` advances it instantly). Used by CTest for every screen.
 *
 *   # comment
 *   tap <id-or-label>      tap-at <x> <y>      hold <x> <y> <ms>  (press, time passes)
 *   drag <x1> <y1> <x2> <y2> <ms>               (a finger moving; lists glide after)
 *   drag-onto <a> <b>      (a finger from a's centre to b's: ids, labels or texts;
 *                           "<a> | <b>" when a name has a space)
 *   type <text>            (through the visible keypad)
 *   type-last-code         (the newest pickup code from the outbox: the SMS stand-in)
 *   sim lock <line>        (to the lock simulator: close B L | force-open B L | item B L 0|1
 *                           | fault SPEC)
 *   key <enter|backspace|escape|back>
 *   wait <ms>              (virtual: the UI's and the core's clocks move on)
 *   expect-screen <name>   expect-text <text>  expect-no-text <text>
 *   expect-no-widget <id-or-label>   (nothing tappable by that name: a disabled key)
 *   expect-apart <a> <b>   (both on screen, not overlapping: a pin clear of a button)
 *   expect-qr <text>       (a QR code on screen holds it)
 *   expect-event <type> <count>   (events of that type in the outbox)
 *   expect-spoken <text>   (said by 朗读 / 长辈模式 speech)
 *   sync-wait <s>          (real time: until the outbox is pushed and nothing is due)
 *   await <s> <id-or-text> (real time: until it is on screen)
 *   goto <screen> [arg]    (for screens whose entry flow belongs to a later issue)
 *   screenshot <file.png>  (relative to the screenshots directory)
 *   repeat <n> … end       (the lines between, n times; nested up to 4 deep)
 *   include <file>         (its lines here, read with the script; relative to it)
 *   memory                 (prints the memory in use, the resident set and every cache's
 *                           fill: screens/ui/memory.h)
 *   memory-mark            expect-memory-growth <KiB>   (in use since the mark)
 */
#ifndef KIOSK_SCREENS_SCRIPT_H
#define KIOSK_SCREENS_SCRIPT_H

#include "kiosk/core.h"

struct ui;

/* Runs the script at path. Returns KIOSK_OK when every line held; otherwise prints the
 * failing line number, what was expected and the visible texts on stderr, writes
 * <script>-fail.png into shots_dir, and returns KIOSK_EINVAL (bad line) or KIOSK_ESTATE
 * (an expectation did not hold). shots_dir NULL = the current directory. */
int ui_script_run(struct ui *ui, struct kiosk_core *core, const char *path, const char *shots_dir,
		  const char *a11y_report);

#endif
