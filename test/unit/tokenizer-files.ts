// The sentiment model's tokenizer files, typed as far as the tests read them.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface TokenizerJson {
  model: { vocab: Record<string, number> };
  truncation: { max_length: number };
}

export interface TokenizerConfig {
  model_max_length: number;
}

export function readTokenizerFiles(modelDir: string): { tokJson: TokenizerJson; tokCfg: TokenizerConfig } {
  return {
    tokJson: JSON.parse(readFileSync(path.join(modelDir, 'tokenizer.json'), 'utf8')) as TokenizerJson,
    tokCfg: JSON.parse(readFileSync(path.join(modelDir, 'tokenizer_config.json'), 'utf8')) as TokenizerConfig,
  };
}
