import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearestName } from '../../../src/core/suggest.js';

describe('suggest', () => {
  it('measures edits, with swaps as one', () => {
    expect(editDistance('apt', 'apt')).toBe(0);
    expect(editDistance('aptt', 'apt')).toBe(1);
    expect(editDistance('wbe', 'web')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it('suggests only plausible typos', () => {
    expect(nearestName('aptt', ['apt', 'copy', 'command'])).toBe('apt');
    expect(nearestName('whne', ['when', 'name'])).toBe('when');
    expect(nearestName('zzzzzz', ['apt', 'copy'])).toBeUndefined();
    expect(didYouMean('templte', ['template', 'copy'])).toBe("did you mean 'template'?");
  });
});
