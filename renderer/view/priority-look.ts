// How a message's priority looks (1 min .. 5 max, ntfy's scale): a mark and a word,
// none for the default 3.

export interface PriorityLook {
  icon: string;
  word: string;
}

const LOOK: Record<number, PriorityLook> = {
  1: { icon: '⇊', word: 'Min priority' },
  2: { icon: '↓', word: 'Low priority' },
  4: { icon: '!', word: 'High priority' },
  5: { icon: '‼', word: 'Urgent' },
};

export function priorityLook(priority: number): PriorityLook | null {
  return LOOK[priority] ?? null;
}
