import { describe, expect, test } from 'vitest';
import { decideInsert, type InsertRules } from '../../../src/core/store/insert-rules.js';

const RULES: InsertRules = { dayStart: 0, quotaPerPerson: 3, quotaPerGroup: 5, queueMax: 10 };
const none = { person: 0, group: 0, waiting: 0 };

describe('decideInsert', () => {
  test('ok under every limit; each limit refuses at its value, not before', () => {
    expect(decideInsert(RULES, { person: 2, group: 4, waiting: 9 }, 'g')).toBe('ok');
    expect(decideInsert(RULES, { ...none, person: 3 }, 'g')).toBe('PERSON_QUOTA');
    expect(decideInsert(RULES, { ...none, group: 5 }, 'g')).toBe('GROUP_QUOTA');
    expect(decideInsert(RULES, { ...none, waiting: 10 }, 'g')).toBe('QUEUE_FULL');
  });

  test('the person quota is told first, then the group quota, then the queue', () => {
    expect(decideInsert(RULES, { person: 3, group: 5, waiting: 10 }, 'g')).toBe('PERSON_QUOTA');
    expect(decideInsert(RULES, { person: 0, group: 5, waiting: 10 }, 'g')).toBe('GROUP_QUOTA');
  });

  test('a quota of 0 is off; the group quota never applies without a group', () => {
    const off = { ...RULES, quotaPerPerson: 0, quotaPerGroup: 0 };
    expect(decideInsert(off, { person: 99, group: 99, waiting: 0 }, 'g')).toBe('ok');
    expect(decideInsert(RULES, { person: 0, group: 99, waiting: 0 }, '')).toBe('ok');
  });

  test('a queue of 0 takes nothing (the queue is never off)', () => {
    expect(decideInsert({ ...RULES, queueMax: 0 }, none, 'g')).toBe('QUEUE_FULL');
  });
});
