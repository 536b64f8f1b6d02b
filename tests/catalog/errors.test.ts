/** A refusal may stand for "nothing there"; a database gone may not. */
import { describe, expect, it } from 'vitest';
import { DomainError, whenRefused } from '../../catalog/errors.ts';

describe('whenRefused', () => {
  it('answers a refusal with the fallback: no week yet reads as no week', async () => {
    const week = await Promise.reject(new DomainError('NO_OPEN_CYCLE')).catch(whenRefused(null));
    expect(week).toBeNull();
  });

  it('lets any other failure through, so a lost connection fails the turn instead of emptying the cart', async () => {
    const lost = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    await expect(Promise.reject(lost).catch(whenRefused(null))).rejects.toBe(lost);
  });
});
