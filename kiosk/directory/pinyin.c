#include "kiosk/directory/pinyin.h"
#include "kiosk/directory/pinyin_table.h"

uint32_t dir_utf8_next(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	if (!*s)
		return 0;
	int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
		: (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	uint32_t cp = n == 1 ? s[0] : n == 2 ? s[0] & 0x1Fu : n == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			n = 0;
			break;
		}
		cp = (cp << 6) | (s[i] & 0x3Fu);
	}
	if (!n) {
		*p += 1;
		return 0xFFFD;
	}
	*p += n;
	return cp;
}

int dir_pinyin(uint32_t cp, const char *out[DIR_MAX_READINGS])
{
	int lo = 0, hi = dir_nreadings;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (dir_readings[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= dir_nreadings || dir_readings[lo].cp != cp)
		return 0;
	int n = dir_readings[lo].n;
	for (int i = 0; i < n && i < DIR_MAX_READINGS; i++)
		out[i] = dir_syllables[dir_readings[lo].syl[i]];
	return n;
}
