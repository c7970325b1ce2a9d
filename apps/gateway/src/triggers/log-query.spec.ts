import { HangarError } from '@hangar/contracts';
import { optionalLimit, optionalString } from './log-query';

describe(optionalLimit.name, () => {
  it('is absent when not given and an integer from 1 to 1000 otherwise', () => {
    expect(optionalLimit({})).toBeUndefined();
    expect(optionalLimit({ limit: '1' })).toBe(1);
    expect(optionalLimit({ limit: '1000' })).toBe(1000);
  });

  it.each([['0'], ['1001'], ['-1'], ['ten'], ['1.5']])('refuses limit=%s naming the field', (limit) => {
    expect(() => optionalLimit({ limit })).toThrow(HangarError);
    expect(() => optionalLimit({ limit })).toThrow(/^limit must be an integer from 1 to 1000/);
  });

  it('refuses a parameter given twice', () => {
    expect(() => optionalString({ image: ['a', 'b'] }, 'image')).toThrow('image must be given once');
  });
});
