// Types for run-models.js, which the webpack and no-bundler consumers share as plain JS.
import type { DigitPrediction, TextClassification, create, InpageError } from 'inpage';

export interface ConsumerResult {
  backend: string;
  reason: string;
  digit: DigitPrediction;
  texts: TextClassification[];
  typedError: string;
  inWorker: boolean;
}

export function runModels(
  sdk: { create: typeof create; InpageError: typeof InpageError },
  registry: string,
  digitsId: string,
  textId: string | null,
  worker: boolean,
): Promise<ConsumerResult>;
