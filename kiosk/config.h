/* Kiosk configuration: a JSON file, every key optional with a default.
 *
 * Values live in fixed-size fields so a config is a plain value: copy it, no ownership.
 * Parsing collects every error with its JSON path ("$.lock.port: expected string") and
 * changes the caller's struct only when the whole file is valid. */
#ifndef KIOSK_CONFIG_H
#define KIOSK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define KIOSK_PATH_MAX 256

struct kiosk_device_cfg {
	char driver[32]; /* name from the class's driver table; "" = not fitted */
	char port[KIOSK_PATH_MAX];
};

/* One parcel compartment: which lock of which board on the lock bus, and its size. */
struct kiosk_compartment_cfg {
	char id[16]; /* as labelled on the door: "A01" */
	int board, lock;
	char size[3]; /* S | M | L | XL */
	int column, row; /* place on the bank from the left and from the top, from 1 */
};
#define KIOSK_MAX_PLACE 32 /* columns or rows of one bank */

#define KIOSK_MAX_COMPARTMENTS 128

struct kiosk_config {
	char device_id[64];
	char device_key_file[KIOSK_PATH_MAX];
	char store_path[KIOSK_PATH_MAX];
	char device_secret_file[KIOSK_PATH_MAX]; /* shared with the platform, for signing */
	char platform_url[KIOSK_PATH_MAX];       /* "" = no platform: the kiosk runs offline */
	char platform_ca_file[KIOSK_PATH_MAX];   /* "" = the system's CA store */
	char platform_pinned_key[KIOSK_PATH_MAX]; /* "" = none; "sha256//…" or a PEM file */
	int platform_heartbeat_s; /* heartbeat period while online */
	int platform_pull_s;      /* change pull period */
	char ui_lang[4];         /* "zh" | "en" */
	char ui_orientation[12]; /* "portrait" | "landscape" */
	int ui_width;            /* window size in pixels when not full screen */
	int ui_height;
	bool ui_fullscreen;
	bool vend_board_pays; /* the drive board has money devices of its own and reports them */
	bool ui_click_sound;
	bool ui_speech;       /* spoken guidance (长辈模式, and the speaker button) */
	int ui_speech_volume; /* 0..100 */
	char ui_font[KIOSK_PATH_MAX]; /* "" = ask fontconfig for lang=zh-cn */
	char ui_assets[KIOSK_PATH_MAX]; /* "" = the installed or the source tree's assets */
	int ui_font_index;
	int ui_idle_timeout_s;
	char ui_timezone[64];
	char log_level[8];
	char control_socket[KIOSK_PATH_MAX];
	double geo_lat, geo_lon; /* the kiosk's position, for walking times */
	char map_file[KIOSK_PATH_MAX]; /* a map imported at start when newer than the stored one */
	char map_mbtiles[KIOSK_PATH_MAX]; /* a raster base map under the streets; "" = none */
	int map_max_mb; /* a map file larger than this, unpacked, is refused */
	char help_phone[24];     /* hotline shown (and as a tel: QR) on the help screen */
	int help_ack_wait_s;     /* a help call unacknowledged this long: "not got through" */
	int parcel_keep_days;    /* a deposited parcel expires after this many days */
	int store_retention_days; /* finished history older than this moves to the archive */
	int parcel_free_hours;   /* overdue fee: free for this long after deposit, */
	int parcel_fee_block_hours; /* then fee_block_fen per started block of these hours, */
	int parcel_fee_block_fen;
	int parcel_fee_cap_fen;  /* capped here */
	int send_price_fen[4];   /* 寄付 price by size: S, M, L, XL */
	int send_size_cm[4][3];  /* inside each size of door, cm: width, height, depth */
	/* 助餐: the discount per tier in percent (60+, 80+, 90+; $.meal.discounts, the
	 * platform's `meal.discounts`), the most portions one order may take, and what the
	 * canteen's rule says to a resident the kiosk cannot place (full price) */
	int meal_discount_pct[3];
	int meal_max_portions;
	char meal_full_price_note_zh[128], meal_full_price_note_en[128];
	struct kiosk_device_cfg lock, vend, mdb, printer, scanner;
	/* $.lock.compartments: the locker bank's doors */
	struct kiosk_compartment_cfg compartments[KIOSK_MAX_COMPARTMENTS];
	int ncompartments;
};

#define KIOSK_CONFIG_MAX_ERRORS 32

/* Errors found while loading; each one line naming the path and what was wrong. */
struct kiosk_config_diag {
	int count; /* may exceed KIOSK_CONFIG_MAX_ERRORS; only that many are kept */
	char msg[KIOSK_CONFIG_MAX_ERRORS][192];
};

void kiosk_config_defaults(struct kiosk_config *cfg);

/* Parses JSON text of len bytes. Returns KIOSK_OK and fills *cfg (defaults for absent
 * keys), or KIOSK_ECONFIG with *diag filled and *cfg untouched. */
int kiosk_config_parse(const char *text, size_t len, struct kiosk_config *cfg,
		       struct kiosk_config_diag *diag);

/* Reads and parses the file at path (at most 1 MiB). An unreadable file is one error in
 * *diag naming the file and the OS reason. Same contract as kiosk_config_parse. */
int kiosk_config_load(const char *path, struct kiosk_config *cfg, struct kiosk_config_diag *diag);

/* The platform's URL, by the same rule for the checker and the link: https://host…, or
 * plain http:// to this machine only (127.0.0.1, localhost, [::1]); no user:password@
 * in it (a secret in a config line, and logged), no space or control byte.
 * KIOSK_ECONFIG with why. */
int kiosk_config_url_ok(const char *url, char *why, size_t wlen);
/* $.meal.discounts as JSON into pct (60+, 80+, 90+), or KIOSK_EINVAL with why (": …" or
 * ".60+.percent: …", to follow the key's path). kiosk/config_tiers.c */
struct cJSON;
int kiosk_config_tiers_parse(const struct cJSON *v, int pct[3], char *why, size_t wlen);

/* A value the operator's platform sets (a `config` change: key as in the file, value as
 * JSON text), checked as the file's would be. KIOSK_EPERM (why names the key) for a key
 * the platform may not set — where the kiosk connects, what it trusts, its hardware —
 * KIOSK_EINVAL for a wrong type or range; *cfg changes only on KIOSK_OK. */
int kiosk_config_set_remote(struct kiosk_config *cfg, const char *key, const char *json,
			    char *why, size_t wlen);

#endif
