import { describe, expect, it } from 'vitest';
import { parseJobTopic } from './job-topic.ts';

describe('job run topics', () => {
  it('recognises job/<name>/<run> and nothing else', () => {
    expect(parseJobTopic('job/backup/42')).toEqual({ job: 'backup', run: '42' });
    expect(parseJobTopic('job/backup')).toBeNull();
    expect(parseJobTopic('run/build')).toBeNull();
    expect(parseJobTopic('job/a/b/c')).toBeNull();
  });
});
