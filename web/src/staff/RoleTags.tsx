// A member's roles (党员、村医、网格长…) as tags in the UI language.
import { Flex, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MemberRole } from './staffApi.ts';

const COLOURS: Partial<Record<MemberRole, string>> = {
  party_member: 'red',
  cadre: 'volcano',
  village_doctor: 'green',
  family_doctor: 'green',
  grid_medic: 'green',
  village_secretary: 'purple',
  first_secretary: 'purple',
  grid_leader: 'blue',
  grid_member: 'geekblue',
};

export function RoleTags({ roles }: { roles: readonly MemberRole[] }) {
  const { t } = useTranslation();
  return (
    <Flex wrap gap={4}>
      {roles.map((r) => (
        <Tag key={r} color={COLOURS[r]} style={{ marginInlineEnd: 0 }}>
          {t(`staff.memberRole.${r}`)}
        </Tag>
      ))}
    </Flex>
  );
}
