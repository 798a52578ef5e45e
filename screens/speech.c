#include "screens/speech.h"
#include "screens/sound.h"
#include "hal/base/alloc.h"
#include "hal/base/clock.h"
#include "hal/base/log.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

/* The worker's state. espeak-ng keeps global state: only the worker touches it. */
struct ui_speech {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char text[1536]; /* a walk's steps, said whole */
	bool en, pending, stop, ok;
	int volume; /* 0..100 */
	const struct ui_sound *sound; /* the device, opened on its own thread */
	Sint16 *buf; /* one utterance's samples (worker only) */
	size_t n, cap;
	atomic_ulong done;
};

/* espeak-ng's callback: the utterance's samples, scaled to the volume. The worker's state
 * comes back as the user_data it passed to the synthesis, on every event. */
static int collect(short *wav, int num, espeak_EVENT *ev)
{
	struct ui_speech *s = ev ? ev->user_data : NULL;
	if (!wav || num <= 0 || !s)
		return 0;
	if (s->n + (size_t)num > s->cap) {
		size_t cap = (s->n + (size_t)num) * 2;
		Sint16 *b = kiosk_realloc(s->buf, cap * sizeof *b);
		if (!b)
			return 1; /* out of memory: stop this utterance */
		s->buf = b;
		s->cap = cap;
	}
	for (int i = 0; i < num; i++)
		s->buf[s->n++] = (Sint16)(wav[i] * s->volume / 100);
	return 0;
}

/* The synthesiser loaded: its phonemes and dictionaries are 3 MB the kiosk holds only
 * once someone has asked for 朗读 (on this thread: the first reading starts tens of
 * milliseconds later; the screen does not wait). Once: espeak-ng cannot be started twice
 * in a process. */
static bool load(void)
{
	espeak_ng_InitializePath(NULL);
	espeak_ng_ERROR_CONTEXT ctx = NULL;
	bool ready = espeak_ng_Initialize(&ctx) == ENS_OK &&
		     espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL) == ENS_OK;
	if (!ready)
		KLOG_WARN("speech", "event=no_synthesiser");
	else
		espeak_SetSynthCallback(collect);
	return ready;
}

static void *worker(void *arg)
{
	struct ui_speech *s = arg;
	bool loaded = false, ready = false;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (!s->pending && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->stop)
			break;
		char text[sizeof s->text];
		bool en = s->en;
		memcpy(text, s->text, sizeof text);
		s->pending = false;
		pthread_mutex_unlock(&s->mu);
		s->n = 0;
		if (!loaded) {
			ready = load();
			loaded = true;
		}
		if (ready && espeak_ng_SetVoiceByName(en ? "en" : "cmn") == ENS_OK)
			espeak_ng_Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
					     espeakCHARS_UTF8, NULL, s);
		SDL_AudioDeviceID dev = ui_sound_device(s->sound);
		if (dev && s->n) {
			SDL_ClearQueuedAudio(dev); /* the new step replaces the old one */
			SDL_QueueAudio(dev, s->buf, (Uint32)(s->n * sizeof *s->buf));
		}
		atomic_fetch_add(&s->done, 1);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	if (ready)
		espeak_ng_Terminate();
	return NULL;
}

void ui_speech_open(struct ui *ui)
{
	ui->speech = NULL;
	if (!ui->cfg->ui_speech)
		return;
	struct ui_speech *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return;
	s->volume = ui->cfg->ui_speech_volume;
	s->sound = ui->sound;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->thread, NULL, worker, s) != 0) {
		KLOG_WARN("speech", "event=no_thread");
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
		kiosk_free(s);
		return;
	}
	ui->speech = s;
}

void ui_speech_say(struct ui *ui, const char *text)
{
	bool en = ui->lang == UI_EN;
	KLOG_INFO("speech", "event=spoken lang=%s text=\"%.200s\"", en ? "en" : "zh", text);
	size_t have = strlen(ui->spoken), n = strlen(text);
	if (have + n + 2 < sizeof ui->spoken) {
		memcpy(ui->spoken + have, text, n);
		ui->spoken[have + n] = '\n';
		ui->spoken[have + n + 1] = '\0';
	}
	ui->said++;
	struct ui_speech *s = ui->speech;
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	snprintf(s->text, sizeof s->text, "%s", text);
	s->en = en;
	s->pending = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

unsigned long ui_speech_done(const struct ui *ui)
{
	return ui->speech ? atomic_load(&ui->speech->done) : 0;
}

void ui_speech_close(struct ui *ui)
{
	struct ui_speech *s = ui->speech;
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	/* The sentence on its way out is finished, briefly: not cut mid-word at exit. */
	SDL_AudioDeviceID dev = ui_sound_device(s->sound);
	for (int64_t until = kiosk_mono_ms() + 2000;
	     dev && SDL_GetQueuedAudioSize(dev) && kiosk_mono_ms() < until;)
		SDL_Delay(10);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	kiosk_free(s->buf);
	kiosk_free(s);
	ui->speech = NULL;
}
