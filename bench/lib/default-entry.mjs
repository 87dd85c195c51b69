// The registry entry a page gets for a bare model id, by the SDK's own rule (src/registry/version-order.mjs: the
// newest release; a pre-release only where a model has no release). Sorting the version strings, as the bench once
// did, ran raw ORT on sentiment 1.3.0-rc.1 beside inpage's 1.2.0. Imported by Node and by the bench pages alike.
import { defaultVersion } from '../../src/registry/version-order.mjs';

/** `registry.models[id]`'s entry for the version `load(id)` resolves to. */
export function defaultEntry(registry, id) {
  const versions = registry.models[id].versions;
  return versions[defaultVersion(Object.keys(versions))];
}
