// A resident's key-population categories as small tags.
import { Flex, Tag } from 'antd';
import type { CategoryLabels } from './categories.ts';

const KEY_COLOURS: Record<string, string> = {
  elderly: 'orange',
  living_alone: 'volcano',
  severe_disease: 'magenta',
  chronic: 'purple',
  pregnant: 'pink',
  infant: 'cyan',
  disabled: 'geekblue',
};

export function CategoryTags({ codes, labels }: { codes: string[]; labels: CategoryLabels['label'] }) {
  if (codes.length === 0) return <span>—</span>;
  return (
    <Flex gap={4} wrap>
      {codes.map((code) => (
        <Tag key={code} color={KEY_COLOURS[code] ?? 'blue'} variant="filled" style={{ marginInlineEnd: 0 }}>
          {labels(code)}
        </Tag>
      ))}
    </Flex>
  );
}
