/* The pinyin table generated at build time (tools/gen_pinyin.py) from Unihan_Readings:
 * toneless syllables, and each CJK Unified Ideograph's readings as indices into them, the
 * most common first. */
#ifndef KIOSK_DIRECTORY_PINYIN_TABLE_H
#define KIOSK_DIRECTORY_PINYIN_TABLE_H

#include <stdint.h>

struct dir_reading {
	uint32_t cp;
	uint8_t n;
	uint16_t syl[6];
};

extern const char *const dir_syllables[];
extern const int dir_nsyllables;
extern const struct dir_reading dir_readings[]; /* sorted by cp */
extern const int dir_nreadings;

#endif
