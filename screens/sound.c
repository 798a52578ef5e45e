#include "screens/sound.h"
#include "hal/base/alloc.h"
#include "hal/base/log.h"

#include <math.h>
#include <stdatomic.h>

#define RATE 22050
#define CLICK_MS 25

struct ui_sound {
	SDL_Thread *opener; /* an SDL thread: SDL frees what it keeps per thread (its error text) */
	bool speech; /* say in the log when speech will not be heard */
	atomic_uint dev; /* SDL_AudioDeviceID; 0 until open */
	Sint16 click[RATE * CLICK_MS / 1000];
};

static int open_device(void *arg)
{
	struct ui_sound *s = arg;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		KLOG_WARN("ui", "event=no_audio err=\"%s\"", SDL_GetError());
		goto out_none;
	}
	SDL_AudioSpec want = {.freq = RATE, .format = AUDIO_S16SYS, .channels = 1, .samples = 512};
	SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
	if (!dev) {
		KLOG_WARN("ui", "event=no_audio err=\"%s\"", SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		goto out_none;
	}
	/* 2 kHz with a fast decay: short enough to feel like a key, not a beep. */
	int n = (int)(sizeof s->click / sizeof s->click[0]);
	for (int i = 0; i < n; i++)
		s->click[i] = (Sint16)(9000.0 * exp(-i / (RATE * 0.004)) *
				       sin(2 * M_PI * 2000 * i / RATE));
	SDL_PauseAudioDevice(dev, 0);
	atomic_store(&s->dev, dev);
	KLOG_INFO("ui", "event=audio_ready");
	return 0;
out_none:
	if (s->speech)
		KLOG_WARN("speech", "event=no_audio_device heard=0 logged=1");
	return 0;
}

void ui_sound_open(struct ui *ui)
{
	ui->sound = NULL;
	if (!ui->cfg->ui_click_sound && !ui->cfg->ui_speech)
		return;
	struct ui_sound *s = kiosk_calloc(1, sizeof *s);
	if (!s)
		return;
	s->speech = ui->cfg->ui_speech;
	if (!(s->opener = SDL_CreateThread(open_device, "audio-open", s))) {
		KLOG_WARN("ui", "event=no_audio err=\"no thread\"");
		kiosk_free(s);
		return;
	}
	ui->sound = s;
}

SDL_AudioDeviceID ui_sound_device(const struct ui_sound *s)
{
	return s ? atomic_load(&s->dev) : 0;
}

void ui_sound_click(struct ui *ui)
{
	struct ui_sound *s = ui->sound;
	SDL_AudioDeviceID dev = ui_sound_device(s);
	if (ui->cfg->ui_click_sound && dev && SDL_GetQueuedAudioSize(dev) < sizeof s->click)
		SDL_QueueAudio(dev, s->click, sizeof s->click);
}

void ui_sound_close(struct ui *ui)
{
	struct ui_sound *s = ui->sound;
	if (!s)
		return;
	SDL_WaitThread(s->opener, NULL);
	SDL_AudioDeviceID dev = atomic_load(&s->dev);
	if (dev) {
		SDL_CloseAudioDevice(dev);
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	}
	kiosk_free(s);
	ui->sound = NULL;
}
