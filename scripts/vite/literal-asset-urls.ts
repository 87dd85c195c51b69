/**
 * Keeps the SDK's `new URL('./file', import.meta.url)` references plain in dist/, the form a
 * consumer's bundler (Vite, webpack, Parcel) recognises and answers by copying the file into its
 * own build. Any other spelling ships a package whose worker and wasm go missing after bundling.
 *
 * src/client/assets.ts marks each with `/* @vite-ignore *\/` so that our own build leaves them
 * alone (the files exist only in dist/, so there is nothing to resolve). Rolldown keeps that
 * marker in its output as an annotation, and a consumer's Vite would then skip the URL too: so
 * renderChunk blanks it out, and generateBundle fails the ES module's build unless every file the
 * SDK finds at run time is still named literally.
 */
import MagicString from 'magic-string';
import type { Plugin } from 'vite';
import { ASSET_FILES } from '../../src/client/assets.ts';

const IGNORE_MARKER = /\/\*\s*@vite-ignore\s*\*\//g;

/** The output's spelling of `new URL('./file', import.meta.url)`, either quote, any spacing. */
function literalUrlPattern(file: string): RegExp {
  const name = file.replaceAll('.', '\\.');
  return new RegExp(`new URL\\(\\s*(["'])\\./${name}\\1,\\s*import\\.meta\\.url\\s*\\)`);
}

export function literalAssetUrls({ requireAll }: { requireAll: boolean }): Plugin {
  return {
    name: 'inpage:literal-asset-urls',
    apply: 'build',
    renderChunk(code) {
      const edited = new MagicString(code);
      for (const marker of code.matchAll(IGNORE_MARKER)) edited.remove(marker.index, marker.index + marker[0].length);
      if (!edited.hasChanged()) return null;
      return { code: edited.toString(), map: edited.generateMap({ hires: true }) };
    },
    generateBundle(_options, bundle) {
      if (!requireAll) return;
      const code = Object.values(bundle)
        .map((item) => (item.type === 'chunk' ? item.code : ''))
        .join('\n');
      const missing = Object.values(ASSET_FILES).filter((file) => !literalUrlPattern(file).test(code));
      if (missing.length > 0) {
        this.error(`dist/ must name ${missing.join(', ')} as new URL('./file', import.meta.url), literally: see src/client/assets.ts`);
      }
    },
  };
}
