/* What a scanned code is, as the flows read it (PROTOCOLS.md §6): a pickup QR holds the
 * 8-digit code, or a URL whose last path segment is the code; a tracking number, a badge
 * and a booking code are letters, digits and a few marks. Pure (fuzzed in fuzz_scan). */
#include "kiosk/flow/flow.h"

#include <ctype.h>
#include <string.h>

bool kiosk_flow_scan_last_segment(const char *scan, char *out, size_t cap)
{
	const char *start = scan, *end = scan + strlen(scan);
	const char *scheme = strstr(scan, "://");
	if (scheme) {
		const char *q = strpbrk(scheme + 3, "?#");
		if (q)
			end = q;
		while (end > scheme + 3 && end[-1] == '/')
			end--; /* ".../p/12345678/" */
		start = end;
		while (start > scheme + 3 && start[-1] != '/')
			start--;
		if (start == scheme + 3)
			return false; /* a host and no path */
	}
	size_t n = (size_t)(end - start);
	if (n == 0 || n >= cap)
		return false;
	memcpy(out, start, n);
	out[n] = '\0';
	return true;
}

bool kiosk_flow_scan_word(const char *scan, size_t min, size_t max, const char *marks)
{
	size_t n = strlen(scan);
	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)scan[i]) && !strchr(marks, scan[i]))
			return false;
	return true;
}
