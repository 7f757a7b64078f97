import { describe, expect, it } from 'vitest';
import { maskCard, maskIdNumber, maskName, maskPhone, maskPii } from '../../shared/pii/mask.js';

describe('PII masking', () => {
  it('keeps the region code and last four of a resident ID number', () => {
    expect(maskIdNumber('110105199001011234')).toBe('110105********1234');
    expect(maskIdNumber('11010519900101123X')).toBe('110105********123X');
    expect(maskIdNumber('110105900101123')).toBe('110105*****1123');
    expect(maskIdNumber('1234')).toBe('****');
  });

  it('keeps the carrier prefix and last four of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('+86 138****5678');
    expect(maskPhone('12345')).toBe('*****');
  });

  it('shows a bank card as its first four and last four digits', () => {
    expect(maskCard('6222021234567891234')).toBe('6222 **** **** 1234');
    expect(maskCard('6222 0212 3456 7890')).toBe('6222 **** **** 7890');
  });

  it('masks Chinese names by their middle characters', () => {
    expect(maskName('李小明')).toBe('李*明');
    expect(maskName('李明')).toBe('李*');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('李')).toBe('*');
    expect(maskName('Zhang Wei')).toBe('Z***g W*i');
  });

  it('never returns the clear value for any field', () => {
    for (const [field, value] of [['name', '王建国'], ['id_number', '110105199001011234'], ['phone', '13812345678']] as const) {
      expect(maskPii(field, value)).not.toBe(value);
    }
  });
});
