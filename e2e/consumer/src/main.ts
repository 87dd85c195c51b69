// An npm user's app: imports the package by name, with its types, and runs both models.
import { create, InpageError, type DigitPrediction, type TextClassification } from 'inpage';

function drawOne(canvas: HTMLCanvasElement): HTMLCanvasElement {
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

interface ConsumerResult {
  backend: string;
  reason: string;
  digit: DigitPrediction;
  texts: TextClassification[];
  typedError: string;
  inWorker: boolean;
}

async function run(registry: string, digitsId: string, textId: string | null, worker: boolean): Promise<ConsumerResult> {
  const inpage = await create({ registry, worker });
  const digits = await inpage.load(digitsId);
  const canvas = document.querySelector<HTMLCanvasElement>('#digit');
  if (!canvas) throw new Error('no canvas');
  const digit = (await digits.predict(drawOne(canvas))) as DigitPrediction;
  let texts: TextClassification[] = [];
  if (textId) {
    const sentiment = await inpage.load(textId);
    texts = (await sentiment.predict(['I love this phone, it works great', 'Terrible service, I want a refund'])) as TextClassification[];
  }
  let typedError = '';
  try {
    await inpage.load('does-not-exist');
  } catch (error) {
    typedError = error instanceof InpageError ? error.code : 'untyped';
  }
  await inpage.dispose();
  const result = { backend: inpage.backend.name, reason: inpage.backend.reason, digit, texts, typedError, inWorker: inpage.inWorker };
  document.querySelector('#result')!.textContent = JSON.stringify(result);
  return result;
}

Object.assign(window, { consumer: { run } });
