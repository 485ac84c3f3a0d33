// Job runs publish on `job/<name>/<run>` (docs/configuration.md, `jobs`); those topics get
// the job actions (cancel while running, run again when finished) and the output log.

export interface JobTopic {
  job: string;
  run: string;
}

export function parseJobTopic(topic: string): JobTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== 'job') return null;
  const [, job, run] = parts;
  if (!job || !run) return null;
  return { job, run };
}
