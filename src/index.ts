/**
 * inpage: run machine-learning models inside a web page. The data never leaves the page.
 *
 * @example
 * ```ts
 * import { create, InpageError } from 'inpage';
 * const inpage = await create();
 * const sentiment = await inpage.load('sentiment');
 * const { label, score } = await sentiment.predict('The service was quick and friendly');
 * ```
 * @packageDocumentation
 */
export { create } from './client/create.js';
export { Inpage, type BackendChangeDetail, type CacheControl, type TestingControl } from './client/inpage.js';
export { Model, type DigitsModel, type TextModel, type PredictOf } from './client/model.js';
export type { CreateOptions, LoadOptions, PredictOptions } from './client/options.js';
export type { DigitInput, DigitPrediction, DigitsPreprocess } from './tasks/digits.js';
export type { TextClassification, TextPredict, TextPreprocess } from './tasks/text-classification.js';
export type { ImageClassification, ImageClassScore, ImagePreprocess } from './tasks/image-classification.js';
export type { TensorPredict } from './tasks/tensor.js';
export type { AudioClip, VoiceActivity, VadPreprocess } from './tasks/voice-activity.js';
export type { VoiceFrame, SpeechOptions } from './tasks/speech-segments.js';
export { SPEECH_DEFAULTS } from './tasks/speech-segments.js';
export { VoiceStream, type StreamOptions, type SpeechEventDetail } from './client/voice-stream.js';
export { Listener, type ListenOptions } from './client/listen.js';
export type { Tensor, TensorMap, TensorOf, TensorDataByType } from './tasks/tensors.js';
export type { PictureInput } from './tasks/read-pixels.js';
export type { TaskName, TaskTypes } from './protocol/task-io.js';
export { TASKS } from './tasks/task-table.js';
export type { TaskDefinition, TaskManifestRules } from './tasks/task.js';
export { InpageError, ERROR_CODES, type InpageErrorCode } from './errors.js';
export type { BackendName, BackendPreference, BackendReport, AdapterSummary } from './protocol/backend-report.js';
export type { DownloadProgress, InpageWarning } from './protocol/events.js';
export type { ModelInfo } from './protocol/model-info.js';
export type { EngineStats } from './protocol/engine.js';
export type { CachedModelInfo } from './protocol/cached-model.js';
export type { Manifest, ModelVersion, ManifestFile, TensorSpec, TensorDType } from './registry/manifest-types.js';
export type { Preprocess } from './protocol/preprocess.js';
