/**
 * The `--engine` choices, apart from select-engine.ts (which loads both engines and Dawn), so that
 * the command line can offer them without loading either engine.
 */

/** The `--engine` choices. */
export const ENGINE_CHOICES = ['auto', 'gpu', 'cpu'] as const;
/** One of `ENGINE_CHOICES`. */
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

export function validateEngineChoice(choice: unknown): EngineChoice {
  if (typeof choice === 'string' && (ENGINE_CHOICES as readonly string[]).includes(choice)) return choice as EngineChoice;
  throw new RangeError(`engine must be one of ${ENGINE_CHOICES.join(', ')}; got ${JSON.stringify(choice)}`);
}
