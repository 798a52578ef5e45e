/* 一刻钟达标 as the platform shows it: the latest report.coverage a kiosk sent, an item a
 * row, straight from the stored event (what the operator's planners would read). */
#include "plat_int.h"

#include <stdio.h>

void plat_coverage_rows(struct plat *p, FILE *f, const char *device)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(p->db,
			       "SELECT json_extract(e.data, '$.generated_at'),"
			       " json_extract(e.data, '$.residences'), json_extract(c.value, '$.category'),"
			       " json_extract(c.value, '$.threshold_min'),"
			       " json_extract(c.value, '$.covered_share'),"
			       " json_extract(c.value, '$.p50_min'), json_extract(c.value, '$.p90_min'),"
			       " json_extract(c.value, '$.from_kiosk_min'),"
			       " json_extract(c.value, '$.wishes_30d')"
			       " FROM (SELECT data FROM event WHERE device = ? AND type = 'report.coverage'"
			       " ORDER BY seq DESC LIMIT 1) e, json_each(e.data, '$.categories') c",
			       -1, &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(s, 1, device, -1, SQLITE_TRANSIENT);
	bool any = false;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (!any) {
			fputs("<h3>一刻钟达标 coverage, ", f);
			plat_html(f, (const char *)sqlite3_column_text(s, 0));
			fprintf(f, " (%lld residences)</h3><table><tr><th>item</th><th>minutes</th>"
				   "<th>covered</th><th>p50</th><th>p90</th><th>from kiosk</th>"
				   "<th>wishes 30 d</th></tr>",
				sqlite3_column_int64(s, 1));
			any = true;
		}
		fputs("<tr><td>", f);
		plat_html(f, (const char *)sqlite3_column_text(s, 2));
		fprintf(f, "</td><td>%lld</td><td>%.0f%%</td>", sqlite3_column_int64(s, 3),
			sqlite3_column_double(s, 4) * 100);
		for (int i = 5; i <= 7; i++) {
			if (sqlite3_column_type(s, i) == SQLITE_NULL)
				fputs("<td>none on the map</td>", f);
			else
				fprintf(f, "<td>%.1f</td>", sqlite3_column_double(s, i));
		}
		fprintf(f, "<td>%lld</td></tr>", sqlite3_column_int64(s, 8));
	}
	sqlite3_finalize(s);
	if (any)
		fputs("</table>", f);
}
