/**
 * What the demo loads, from where. The page URL can override the build's defaults, so one
 * built site can be pointed at another registry (`?registry=`) or model (`?digits=`).
 */
export interface DemoConfig {
  registry: string;
  digitsModel: string;
  sentimentModel: string;
  /** The registry of models no one here trained (npm run models:extra): Silero VAD for the voice card. */
  voiceRegistry: string;
  voiceModel: string;
}

export function readConfig(location: Location = window.location): DemoConfig {
  const params = new URLSearchParams(location.search);
  const pick = (name: string, fallback: string): string => params.get(name)?.trim() || fallback;
  const registry = new URL(pick('registry', __INPAGE_REGISTRY__), document.baseURI).href;
  return {
    registry,
    digitsModel: pick('digits', 'mnist'),
    sentimentModel: pick('sentiment', 'sentiment'),
    voiceRegistry: new URL(pick('voiceRegistry', 'extra/registry.json'), registry).href,
    voiceModel: pick('voice', 'silero-vad-stream'),
  };
}
