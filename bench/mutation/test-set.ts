// HERALD_MUTATION_TESTS: the comma-separated test globs that narrow one mutation run
// (docs/testing.md, "Mutation testing"). Read by vitest.mutation.config.ts, which runs
// those tests, and by run.ts, which records them beside the run's rows.

/** The globs of a narrowed run, or undefined when the whole mutation test set runs. */
export function narrowedTestSet(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const globs = env.HERALD_MUTATION_TESTS?.split(',').map((glob) => glob.trim()).filter(Boolean);
  return globs?.length ? globs : undefined;
}
