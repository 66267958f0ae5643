import fc from 'fast-check';

/**
 * Property and fuzz tests: FC_SEED fixes fast-check's seed (CI sets one, so a CI run is
 * repeatable and a red run can be replayed locally with the same FC_SEED); without it each run
 * draws a new seed, so local runs keep exploring. A failure prints its seed either way.
 */
const seed = process.env.FC_SEED;
if (seed !== undefined && seed !== '') {
  const value = Number(seed);
  if (!Number.isInteger(value)) throw new Error(`FC_SEED must be an integer, got "${seed}"`);
  fc.configureGlobal({ seed: value });
}
