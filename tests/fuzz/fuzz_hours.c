/* libFuzzer: opening_hours — any text, never a crash; what is understood answers open or
 * closed at every minute of the week, what is not answers "unknown" at every one; in words
 * it is a terminated string within its buffer exactly when it was understood (a small
 * buffer too: the words are cut, never overrun). */
#include "kiosk/directory/hours.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char spec[300];
	if (size >= sizeof spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	struct dir_hours h;
	bool ok = dir_hours_parse(spec, &h);
	for (int d = 0; d < 7; d++)
		for (int m = 0; m < 1440; m += 97) {
			struct tm t = {.tm_wday = d, .tm_hour = m / 60, .tm_min = m % 60};
			enum dir_open o = dir_hours_at(&h, &t);
			if (ok ? o == DIR_HOURS_UNKNOWN : o != DIR_HOURS_UNKNOWN)
				abort();
		}
	char words[400], small[24];
	for (int en = 0; en < 2; en++) {
		if (dir_hours_words(spec, en, words, sizeof words) != ok || (!ok && words[0]) ||
		    memchr(words, '\0', sizeof words) == NULL)
			abort();
		if (dir_hours_words(spec, en, small, sizeof small) != ok ||
		    memchr(small, '\0', sizeof small) == NULL)
			abort();
	}
	return 0;
}
