// Where a server's last received event id is kept, so a restart of the app resumes
// (`Last-Event-ID`) instead of starting over. The desktop app keeps them in its
// history database (HistoryStore.resumePoints), `herald watch` in memory.

export interface ResumePoints {
  load(serverId: string): string | null;
  save(serverId: string, lastId: string): void;
}

export function memoryResumePoints(initial: Record<string, string> = {}): ResumePoints {
  const points = new Map(Object.entries(initial));
  return {
    load: (serverId) => points.get(serverId) ?? null,
    save: (serverId, lastId) => void points.set(serverId, lastId),
  };
}
