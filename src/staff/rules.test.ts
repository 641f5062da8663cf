// The pure rules of the staff register: role words as officials write them, member checks, and which
// region-level role sits on which level.
import { describe, expect, it } from 'vitest';
import { checkMember, endDate, parseRoles, roleFitsLevel } from './rules.ts';

describe('parseRoles', () => {
  it.each([
    ['党员、网格员', ['party_member', 'grid_member']],
    ['村医，党员;家庭医生', ['village_doctor', 'party_member', 'family_doctor']],
    ['下沉干部 / 志愿者', ['cadre', 'volunteer']],
    ['第一书记', ['first_secretary']],
    ['支部书记、书记', ['village_secretary']],
    ['网格长；网格医务人员', ['grid_leader', 'grid_medic']],
    ['party_member,Volunteer', ['party_member', 'volunteer']],
    ['', []],
  ])('%s', (cell, roles) => {
    expect(parseRoles(cell)).toEqual({ roles, unknown: [] });
  });

  it('returns the words it does not know', () => {
    expect(parseRoles('党员、宇航员，厨师')).toEqual({
      roles: ['party_member'],
      unknown: ['宇航员', '厨师'],
    });
  });
});

describe('checkMember', () => {
  it('normalises the name and mobile', () => {
    const r = checkMember({ name: '  欧阳  娜娜 ', mobile: '１３８ 0013 8000', roles: ['cadre'] });
    expect(r).toEqual({
      ok: true,
      value: { name: '欧阳 娜娜', mobile: '13800138000', roles: ['cadre'], capacity: null },
    });
  });

  it('names every bad field at once', () => {
    const r = checkMember({ name: '', mobile: '12345', roles: [], capacity: -1 });
    expect(r.ok ? [] : r.errors.map((e) => `${e.path}:${e.code}`)).toEqual([
      '/name:required',
      '/mobile:mobile_invalid',
      '/roles:required',
      '/capacity:range',
    ]);
  });
});

describe('region-level roles', () => {
  it('sit on their own level only', () => {
    expect(roleFitsLevel('grid_medic', 'grid')).toBe(true);
    expect(roleFitsLevel('grid_medic', 'village')).toBe(false);
    expect(roleFitsLevel('village_secretary', 'village')).toBe(true);
    expect(roleFitsLevel('township_cadre', 'township')).toBe(true);
    expect(roleFitsLevel('county_leader', 'township')).toBe(false);
  });

  it('end today, or on the day they were to start when that is later', () => {
    expect(endDate('2023-01-01', '2023-01-06')).toBe('2023-01-06');
    expect(endDate('2023-02-01', '2023-01-06')).toBe('2023-02-01');
  });
});
