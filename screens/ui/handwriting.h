/* 手写 Handwriting for residents who cannot type pinyin: strokes drawn with a finger on a
 * pad, recognised as Chinese characters by zinnia with the simplified-Chinese model of
 * tegaki (Debian's libzinnia and tegaki-zinnia-simplified-chinese; the model is a file the
 * library maps, so opening it is quick). Recognition takes a few milliseconds (make
 * bench: the handwriting row), which is why it runs where the finger lifts. */
#ifndef KIOSK_SCREENS_UI_HANDWRITING_H
#define KIOSK_SCREENS_UI_HANDWRITING_H

#include <stdbool.h>
#include <stddef.h>

#define UI_HW_MODEL "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"
#define UI_HW_MAX_STROKES 40  /* 鞋 has 15; more is scribbling: further strokes are ignored */
#define UI_HW_MAX_POINTS 2048

struct ui_hw; /* opaque: the recognizer and the strokes so far */

/* Opens the model at path (NULL: UI_HW_MODEL). KIOSK_ENOENT naming the file in the log
 * when it cannot be read (the kiosk offers no handwriting then), KIOSK_ENOMEM. */
int ui_hw_open(const char *path, struct ui_hw **out);
void ui_hw_close(struct ui_hw *h);
/* Forgets the strokes. */
void ui_hw_clear(struct ui_hw *h);
/* A point of the finger on a pad of side `side` px (x, y from its top-left corner, kept
 * inside it): the first of a new stroke when start. Ignored past the limits above. */
void ui_hw_point(struct ui_hw *h, bool start, int x, int y, int side);
int ui_hw_strokes(const struct ui_hw *h);
/* Stroke s's points (x, y pairs, in pad pixels); how many. */
int ui_hw_stroke(const struct ui_hw *h, int s, const int (**pts)[2]);
/* The likeliest characters for the strokes so far, best first, each a NUL-terminated UTF-8
 * character into out; how many (0 without strokes). */
int ui_hw_candidates(struct ui_hw *h, char (*out)[8], int max);

#endif
