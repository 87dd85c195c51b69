// What every consumer app does with the package, whichever way it got it (Vite, webpack, or a plain
// <script type="module"> with no bundler): create, predict with both models, and check that an
// error arrives typed. Each app passes in what it imported, so the import itself is the app's own.

/** @param {HTMLCanvasElement} canvas draws a "1", the way a visitor would. */
function drawOne(canvas) {
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.strokeStyle = '#000';
  context.lineWidth = 10;
  context.lineCap = 'round';
  context.beginPath();
  context.moveTo(56, 14);
  context.lineTo(56, 98);
  context.stroke();
  return canvas;
}

/**
 * @param {{ create: Function, InpageError: Function }} sdk
 * @param {string} registry
 * @param {string} digitsId
 * @param {string | null} textId
 * @param {boolean} worker
 */
export async function runModels({ create, InpageError }, registry, digitsId, textId, worker) {
  const inpage = await create({ registry, worker });
  const digits = await inpage.load(digitsId);
  const canvas = document.querySelector('#digit');
  if (!canvas) throw new Error('no canvas');
  const digit = await digits.predict(drawOne(canvas));
  let texts = [];
  if (textId) {
    const sentiment = await inpage.load(textId);
    texts = await sentiment.predict(['I love this phone, it works great', 'Terrible service, I want a refund']);
  }
  let typedError = '';
  try {
    await inpage.load('does-not-exist');
  } catch (error) {
    typedError = error instanceof InpageError ? error.code : 'untyped';
  }
  await inpage.dispose();
  const result = { backend: inpage.backend.name, reason: inpage.backend.reason, digit, texts, typedError, inWorker: inpage.inWorker };
  document.querySelector('#result').textContent = JSON.stringify(result);
  return result;
}
