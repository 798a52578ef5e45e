/* Every cache the kiosk keeps, with its bound, in one place.
 *
 * A kiosk runs for months without a restart: whatever it keeps to draw or answer faster
 * must stop growing at a stated size, in entries and in bytes. The UI's caches live on
 * the UI thread, the store's on the thread that owns each connection; each reports its
 * fill as a struct kiosk_cache_stat (the soak in `make bench` prints them). Change a
 * bound here, nowhere else.
 *
 * Texture bytes are counted as the software renderer holds them: width × height × 4. */
#ifndef KIOSK_CACHES_H
#define KIOSK_CACHES_H

#include <stddef.h>

/* Rendered strings (screens/ui/textcache.c), least recently used out first, in two
 * caches. Their coverage, a byte a pixel: 3 MB keeps home's next screens, drawn ahead at
 * rest (screens/warm.c), in one language and mode — 1.6 MB of them, more in 长辈模式's
 * larger type (2 MB lost ten of the map's to the drawing ahead, rasterised again at each
 * tap); as textures they took 6 MB, most of the kiosk's memory at rest. Coverage not used
 * for a minute is dropped, so strings that change (the clock, a countdown, a typed number)
 * do not pile up until the bound. Their textures, made from the coverage when drawn: one
 * screen draws about 1 MB of text (the map, panned for a minute: 35 strings, 1.1 MB); a
 * texture not drawn for 2 s is dropped (drawing it again costs microseconds). */
#define KIOSK_CACHE_TEXT_ENTRIES 384
#define KIOSK_CACHE_TEXT_BYTES (3u << 20)
#define KIOSK_CACHE_TEXTURE_IDLE_MS 2000
#define KIOSK_CACHE_TEXT_COVERAGE_ENTRIES 1024
#define KIOSK_CACHE_TEXT_COVERAGE_BYTES (3u << 20)
#define KIOSK_CACHE_TEXT_IDLE_MS 60000
/* Sizes of texts measured (fitting tries several sizes; only the one drawn is rendered):
 * a table of slots, each with a copy of its text (bytes bounded as if each held 64). */
#define KIOSK_CACHE_TEXT_SIZES 1024
#define KIOSK_CACHE_TEXT_SIZE_TEXT 64

/* Icons rasterised at the size drawn (screens/ui/image.c): the entries' and categories'
 * icons in the few sizes the screens use. Oldest loaded out first. */
#define KIOSK_CACHE_IMAGE_ENTRIES 96
#define KIOSK_CACHE_IMAGE_BYTES (8u << 20)

/* Open font faces (screens/ui/font.c): one regular, one bold, resized per use; a CJK
 * face holds about 1.2 MB of FreeType tables that SDL_ttf does not let us count. */
#define KIOSK_CACHE_FONT_FACES 2
/* The font files' mapped pages go back after this long without a new text (font.c). */
#define KIOSK_CACHE_FONT_QUIET_MS 2000

/* The map's street layer drawn into 128-pixel tiles (screens/map_layer.c): the view and
 * the ring around it, kept while the map screen is shown, freed when it is left. The
 * largest view (portrait, no card: 1032×1256) touches 9 × 11 tiles, 143 with the ring;
 * a view that needs more is drawn directly instead. */
#define KIOSK_CACHE_MAP_TILES 160
#define KIOSK_CACHE_MAP_TILE_PX 128
#define KIOSK_CACHE_MAP_BYTES ((size_t)KIOSK_CACHE_MAP_TILES * 128 * 128 * 4)

/* Raster base-map tiles decoded from the MBTiles file (screens/map.c), 256 pixels a side;
 * while the map screen is shown. */
#define KIOSK_CACHE_BASEMAP_TILES 48
#define KIOSK_CACHE_BASEMAP_BYTES ((size_t)KIOSK_CACHE_BASEMAP_TILES * 256 * 256 * 4)

/* Prepared statements per store connection (kiosk/store/store.c), kept for its life: the
 * store's SQL is a fixed set of literals, so the cache fills once and stays. */
#define KIOSK_CACHE_STMT_ENTRIES 160

/* SQLite's page cache per connection, in KiB (SQLite's default, PRAGMA cache_size =
 * -2000 ≈ this). At most four at once: the core's store, the archiver's (with the archive
 * attached), a neighbourhood rebuild's on the worker, and the start-up page check's. */
#define KIOSK_CACHE_SQLITE_PAGES_KB 2048
#define KIOSK_CACHE_SQLITE_CONNECTIONS 4

/* A cache's fill beside its bounds. max_entries -1: not counted in entries (SQLite's
 * memory); max_bytes 0: not counted in bytes (font faces). */
struct kiosk_cache_stat {
	const char *name; /* static */
	long entries, max_entries;
	size_t bytes, max_bytes;
};

#endif
