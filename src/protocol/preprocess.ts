/**
 * A task's pre-processing as the registry declares it, written once as a valibot schema: the
 * manifest schema checks registry.json with it, `ModelInfo.preprocess` is typed by it, and each
 * task's own schema (its `kind` a literal, its own fields) narrows it.
 */
import * as v from 'valibot';

/** Any task's pre-processing, as far as the manifest's types go: the task's own schema says the rest. */
export const preprocessSchema = v.looseObject({ kind: v.string() });

/**
 * A task's pre-processing, from the card. Its fields are the task's own (each task file declares
 * its schema, and its type from that); the manifest schema has checked them by the time a task reads them.
 * @example
 * ```ts
 * const preprocess: Preprocess | undefined = model.info.preprocess;
 * if (preprocess?.kind === 'image') console.log(preprocess['height']);
 * ```
 * @interface
 */
export type Preprocess = v.InferOutput<typeof preprocessSchema>;

/** A task's `preprocess` schema: its own fields, its `kind` a literal. */
export type PreprocessSchema = v.GenericSchema<unknown, Preprocess>;
