// Region chooser for the ledger filters: the user's subtree as a tree that loads children on demand.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../auth/currentUser.ts';
import { fetchChildren, regionKeys, useRegion } from '../regions/regionApi.ts';
import type { RegionNode } from '../app/types.ts';

type Node = { id: number; pId: number; value: number; title: string; isLeaf: boolean };

const toNode = (r: RegionNode): Node => ({
  id: r.id,
  pId: r.parentId ?? 0,
  value: r.id,
  title: r.name,
  isLeaf: r.childCount === 0,
});

type Props = { value: number; onChange: (regionId: number) => void };
type Labelled = { value: number; label: string };

export function RegionPicker({ value, onChange }: Props) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const current = useRegion(value);
  const [nodes, setNodes] = useState<Node[]>(() => [{ ...toNode(me.region), pId: 0, isLeaf: false }]);

  const loadData = async (node: { value?: unknown }) => {
    const id = Number(node.value);
    const children = await queryClient.fetchQuery({
      queryKey: regionKeys.children(id),
      queryFn: () => fetchChildren(id),
    });
    setNodes((known) => {
      const seen = new Set(known.map((n) => n.id));
      return [...known, ...children.filter((c) => !seen.has(c.id)).map(toNode)];
    });
  };

  return (
    <TreeSelect<Labelled>
      aria-label={t('ledger.region')}
      treeDataSimpleMode
      treeData={nodes}
      loadData={loadData}
      labelInValue
      value={{ value, label: current.data?.name ?? (value === me.region.id ? me.region.name : '…') }}
      onChange={(next) => next && onChange(Number(next.value))}
      placeholder={t('ledger.regionPlaceholder')}
      treeDefaultExpandedKeys={[me.region.id]}
      popupMatchSelectWidth={false}
      style={{ minWidth: 180 }}
    />
  );
}
