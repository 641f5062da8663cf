// A region chooser for the staff forms and filters: the account's subtree as a tree loading children on
// demand; `levels` limits which nodes can be chosen (the others only open). Works as a form control.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import type { Level, RegionNode } from '../app/types.ts';
import { useCurrentUser } from '../auth/currentUser.ts';
import { fetchChildren, regionKeys, useRegion } from '../regions/regionApi.ts';

type Node = {
  id: number;
  pId: number;
  value: number;
  title: string;
  isLeaf: boolean;
  selectable: boolean;
};

type Props = {
  id?: string;
  value?: number | null;
  onChange?: (regionId: number | null) => void;
  levels?: readonly Level[];
  allowClear?: boolean;
  placeholder?: string;
  ariaLabel?: string;
  disabled?: boolean;
};

type Labelled = { value: number; label: string };

export function RegionSelect({
  id,
  value,
  onChange,
  levels,
  allowClear,
  placeholder,
  ariaLabel,
  disabled,
}: Props) {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const current = useRegion(value ?? undefined);
  const toNode = (r: RegionNode, pId = r.parentId ?? 0): Node => ({
    id: r.id,
    pId,
    value: r.id,
    title: r.name,
    isLeaf: r.childCount === 0,
    selectable: !levels || levels.includes(r.level),
  });
  const [nodes, setNodes] = useState<Node[]>(() => [{ ...toNode(me.region, 0), isLeaf: false }]);

  const loadData = async (node: { value?: unknown }) => {
    const parent = Number(node.value);
    const children = await queryClient.fetchQuery({
      queryKey: regionKeys.children(parent),
      queryFn: () => fetchChildren(parent),
    });
    setNodes((known) => {
      const seen = new Set(known.map((n) => n.id));
      return [...known, ...children.filter((c) => !seen.has(c.id)).map((c) => toNode(c))];
    });
  };

  const label = current.data?.name ?? (value === me.region.id ? me.region.name : '…');
  return (
    <TreeSelect<Labelled | undefined>
      id={id}
      aria-label={ariaLabel}
      treeDataSimpleMode
      treeData={nodes}
      loadData={loadData}
      labelInValue
      value={value ? { value, label } : undefined}
      onChange={(next) => onChange?.(next ? Number(next.value) : null)}
      allowClear={allowClear}
      placeholder={placeholder}
      disabled={disabled}
      treeDefaultExpandedKeys={[me.region.id]}
      popupMatchSelectWidth={false}
      style={{ minWidth: 180, width: '100%' }}
    />
  );
}
