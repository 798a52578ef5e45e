/* Pinyin of Chinese characters, every reading (polyphones: 行 is xing and hang), without
 * tones, from the generated table. */
#ifndef KIOSK_DIRECTORY_PINYIN_H
#define KIOSK_DIRECTORY_PINYIN_H

#include <stddef.h>
#include <stdint.h>

#define DIR_MAX_READINGS 6

/* The next code point of UTF-8 text at *p, moving *p past it; U+FFFD for a bad byte
 * (one byte consumed), 0 at the end. */
uint32_t dir_utf8_next(const char **p);
/* The readings of cp (syllables, e.g. "xing"), most common first; how many (0 for a
 * character without one, or not a CJK ideograph). */
int dir_pinyin(uint32_t cp, const char *out[DIR_MAX_READINGS]);

#endif
