/**
 * What the demo loads, from where. The page URL can override the build's defaults, so one
 * built site can be pointed at another registry (`?registry=`) or model (`?digits=`).
 */
export interface DemoConfig {
  registry: string;
  digitsModel: string;
  sentimentModel: string;
}

export function readConfig(location: Location = window.location): DemoConfig {
  const params = new URLSearchParams(location.search);
  const pick = (name: string, fallback: string): string => params.get(name)?.trim() || fallback;
  return {
    registry: new URL(pick('registry', __INPAGE_REGISTRY__), document.baseURI).href,
    digitsModel: pick('digits', 'mnist'),
    sentimentModel: pick('sentiment', 'sentiment'),
  };
}
