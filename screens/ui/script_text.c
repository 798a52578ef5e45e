#include "screens/ui/script_text.h"
#include "hal/base/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 4
#define LINE_MAX_BYTES 510

static int add_file(struct ui_script_text *t, const char *path, const char **out)
{
	if (t->nfiles == UI_SCRIPT_MAX_FILES)
		return KIOSK_EINVAL;
	if (!(t->file[t->nfiles] = strdup(path)))
		return KIOSK_ENOMEM;
	*out = t->file[t->nfiles++];
	return KIOSK_OK;
}

/* "dir/of/including.ui" + "x.inc" → "dir/of/x.inc"; an absolute name stays as it is. */
static void beside(const char *including, const char *name, char *out, size_t len)
{
	const char *slash = strrchr(including, '/');
	if (name[0] == '/' || !slash)
		snprintf(out, len, "%s", name);
	else
		snprintf(out, len, "%.*s/%s", (int)(slash - including), including, name);
}

static int read_file(const char *path, int depth, struct ui_script_text *t, char *why,
		     size_t whylen)
{
	const char *file;
	int rc = add_file(t, path, &file);
	if (rc) {
		snprintf(why, whylen, "%s: %s", path,
			 rc == KIOSK_EINVAL ? "more than 16 files included" : "out of memory");
		return rc;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(why, whylen, "%s: cannot open script: %s", path, strerror(errno));
		return KIOSK_ENOENT;
	}
	char buf[LINE_MAX_BYTES + 2];
	for (int n = 1; rc == KIOSK_OK && fgets(buf, sizeof buf, f); n++) {
		size_t len = strlen(buf);
		if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
			snprintf(why, whylen, "%s:%d: line longer than %d bytes", file, n,
				 LINE_MAX_BYTES);
			rc = KIOSK_EINVAL;
			break;
		}
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
			buf[--len] = '\0';
		const char *verb = buf + strspn(buf, " \t");
		if (strncmp(verb, "include", 7) == 0 && (verb[7] == ' ' || verb[7] == '\t')) {
			const char *name = verb + 7 + strspn(verb + 7, " \t");
			char inc[512];
			beside(path, name, inc, sizeof inc);
			if (depth + 1 == MAX_DEPTH) {
				snprintf(why, whylen, "%s:%d: include nested more than %d deep", file,
					 n, MAX_DEPTH);
				rc = KIOSK_EINVAL;
				break;
			}
			rc = read_file(inc, depth + 1, t, why, whylen);
			continue;
		}
		if (t->nlines == UI_SCRIPT_MAX_LINES) {
			snprintf(why, whylen, "%s:%d: more than %d lines (use repeat)", file, n,
				 UI_SCRIPT_MAX_LINES);
			rc = KIOSK_EINVAL;
			break;
		}
		struct ui_script_line *l = &t->line[t->nlines];
		if (!(l->text = strdup(buf))) {
			snprintf(why, whylen, "%s:%d: out of memory", file, n);
			rc = KIOSK_ENOMEM;
			break;
		}
		l->file = file;
		l->n = n;
		t->nlines++;
	}
	fclose(f);
	return rc;
}

int ui_script_text_read(const char *path, struct ui_script_text *t, char *why, size_t whylen)
{
	memset(t, 0, sizeof *t);
	if (!(t->line = calloc(UI_SCRIPT_MAX_LINES, sizeof *t->line))) {
		snprintf(why, whylen, "%s: out of memory", path);
		return KIOSK_ENOMEM;
	}
	return read_file(path, 0, t, why, whylen);
}

void ui_script_text_free(struct ui_script_text *t)
{
	for (int i = 0; t->line && i < t->nlines; i++)
		free(t->line[i].text);
	free(t->line);
	for (int i = 0; i < t->nfiles; i++)
		free(t->file[i]);
	memset(t, 0, sizeof *t);
}
