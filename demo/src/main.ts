/**
 * The demo page: creates inpage, loads the models side by side, and wires the cards. The voice
 * model comes from a second registry (models no one here trained), so it has an instance of its own.
 * Each card fails on its own with a friendly message; the page itself never breaks.
 */
import { create, type Inpage } from 'inpage';
import { readConfig } from './config.js';
import { DigitsPanel } from './digits-panel.js';
import { friendlyError } from './format.js';
import { enableOffline } from './offline.js';
import { SentimentPanel } from './sentiment-panel.js';
import { ModelRow, showBackend, showBackendError, wireCacheButton } from './status-panel.js';
import { VoicePanel } from './voice-panel.js';

const config = readConfig();

const list = document.getElementById('models');
if (!list) throw new Error('#models is missing from the page');
const digitsRow = new ModelRow(list, 'Handwritten digits', config.digitsModel);
const sentimentRow = new ModelRow(list, 'Sentiment', config.sentimentModel);
const digits = new DigitsPanel({
  onInference: (ms) => {
    digitsRow.inference(ms);
  },
});
const sentiment = new SentimentPanel({
  onInference: (ms) => {
    sentimentRow.inference(ms);
  },
});
const voiceRow = new ModelRow(list, 'Voice activity', config.voiceModel);
const voice = new VoicePanel();

/** The voice card's model, from its own registry; true when it loaded. */
async function startVoice(): Promise<boolean> {
  try {
    const inpage = await create({ registry: config.voiceRegistry });
    const model = await inpage.load(config.voiceModel, {
      task: 'voice-activity',
      onProgress: (p) => {
        voiceRow.progress(p);
      },
    });
    voiceRow.ready(model.info);
    voice.setModel(model);
    return true;
  } catch (error) {
    voiceRow.failed(friendlyError(error, 'voice model'));
    voice.showError(error);
    return false;
  }
}

/** True when every model loaded (so everything the page needs is stored for offline use). */
async function start(): Promise<boolean> {
  let inpage: Inpage;
  try {
    inpage = await create({ registry: config.registry });
  } catch (error) {
    const message = friendlyError(error, 'model runtime');
    showBackendError(message);
    digits.showError(error);
    sentiment.showError(error);
    return false;
  }
  showBackend(inpage.backend);
  inpage.addEventListener('backendchange', () => {
    showBackend(inpage.backend);
    digitsRow.refreshBackend(inpage.backend.name);
    sentimentRow.refreshBackend(inpage.backend.name);
  });
  inpage.addEventListener('warning', (event) => {
    if (event instanceof CustomEvent) console.info('inpage warning', JSON.stringify(event.detail));
  });
  wireCacheButton(inpage);

  const loadDigits = inpage
    // A configured model of another task is OPTIONS_INVALID, shown on its card like any failure.
    .load(config.digitsModel, {
      task: 'digits',
      onProgress: (p) => {
        digitsRow.progress(p);
      },
    })
    .then((model): boolean => {
      digitsRow.ready(model.info);
      digits.setModel(model);
      return true;
    })
    .catch((error: unknown) => {
      digitsRow.failed(friendlyError(error, 'handwriting model'));
      digits.showError(error);
      return false;
    });
  const loadSentiment = inpage
    .load(config.sentimentModel, {
      task: 'text-classification',
      onProgress: (p) => {
        sentimentRow.progress(p);
      },
    })
    .then((model): boolean => {
      sentimentRow.ready(model.info);
      sentiment.setModel(model);
      return true;
    })
    .catch((error: unknown) => {
      sentimentRow.failed(friendlyError(error, 'sentiment model'));
      sentiment.showError(error);
      return false;
    });
  const loaded = await Promise.all([loadDigits, loadSentiment, startVoice()]);
  return loaded.every(Boolean);
}

async function main(): Promise<void> {
  const modelsStored = await start();
  // After the models: the service worker's downloads must not compete with theirs.
  const note = document.getElementById('offline-note');
  const state = await enableOffline();
  if (!note) return;
  note.dataset.state = state === 'ready' && !modelsStored ? 'partial' : state;
  note.textContent =
    state === 'ready'
      ? modelsStored
        ? 'Ready to work offline'
        : 'Page saved for offline use; the models are saved once they download'
      : state === 'unsupported'
        ? 'Offline use needs a secure (https) page'
        : 'Offline use is not available in this browser';
}

void main();
