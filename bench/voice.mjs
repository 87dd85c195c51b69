// node bench/voice.mjs: section 8 of `npm run bench` (voice-activity stream) on its own, for trying
// changes; prints its rows. BENCH_QUICK=1 for fewer frames.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDist } from './lib/prepare.mjs';
import { startStaticServer } from './lib/static-server.mjs';
import { measureVoice, voiceRows } from './lib/voice.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const distPath = await ensureDist(root);
const pages = await startStaticServer({ root });
const launchOptions = {
  executablePath: process.env.INPAGE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};
try {
  const voice = await measureVoice({ root, pagesUrl: pages.url, distPath, launchOptions, quick: process.env.BENCH_QUICK === '1', log: console.log });
  const targets = [];
  voiceRows(
    voice,
    (section, figure, value, target = '', pass) =>
      console.log(`| ${section} | ${figure} | ${value} | ${target} | ${pass === undefined ? '' : pass ? 'PASS' : 'MISS'} |`),
    (name, value, limit, op, pass) => targets.push({ name, pass }),
  );
  console.log(`targets: ${targets.filter((t) => t.pass).length}/${targets.length} PASS`);
} finally {
  await pages.close();
}
