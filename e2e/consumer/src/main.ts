// An npm user's Vite app: imports the package by name, with its types, and runs both models.
import { create, InpageError, type DigitPrediction } from 'inpage';
import { runModels, type ConsumerResult } from './run-models.js';

async function run(registry: string, digitsId: string, textId: string | null, worker: boolean): Promise<ConsumerResult> {
  const result = await runModels({ create, InpageError }, registry, digitsId, textId, worker);
  // The package's types reach the app: a digit prediction is typed as one.
  const digit: DigitPrediction = result.digit;
  return { ...result, digit };
}

Object.assign(window, { consumer: { run } });
