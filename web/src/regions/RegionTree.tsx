// The user's region tree: root is their own region, children load lazily, the current region is selected.
import { type Key as ReactKey, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Tree } from 'antd';
import type { TreeDataNode } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { RegionAncestor, RegionNode } from '../app/types.ts';
import { fetchChildren, regionKeys } from './regionApi.ts';

type Key = string;

function toTreeNode(region: RegionNode): TreeDataNode {
  return { key: String(region.id), title: region.name, isLeaf: region.childCount === 0 };
}

function withChildren(nodes: TreeDataNode[], key: Key, children: TreeDataNode[]): TreeDataNode[] {
  return nodes.map((node) => {
    if (node.key === key) return { ...node, children };
    if (node.children) return { ...node, children: withChildren(node.children, key, children) };
    return node;
  });
}

type Props = {
  root: RegionNode;
  /** The region being viewed, if any, and its ancestors: they are expanded so it can be seen. */
  current?: { id: number; ancestors: RegionAncestor[] };
  /** Where choosing a region leads (default: its region page). */
  hrefFor?: (regionId: number) => string;
};

export function RegionTree({ root, current, hrefFor = (id) => `/regions/${id}` }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // The root always loads its children: `me` is cached for the session and its childCount may be stale.
  const [treeData, setTreeData] = useState<TreeDataNode[]>(() => [{ ...toTreeNode(root), isLeaf: false }]);
  const [expandedKeys, setExpandedKeys] = useState<Key[]>(() => [String(root.id)]);
  const [revealed, setRevealed] = useState<number | undefined>(undefined);

  // When the viewed region changes, open the path down to it (adjusting state during render, not in an effect).
  if (current && current.id !== revealed) {
    setRevealed(current.id);
    const path = current.ancestors.map((a) => String(a.id));
    setExpandedKeys((keys) => [...new Set([...keys, ...path])]);
  }

  const loadData = async (node: { key: ReactKey }) => {
    const id = Number(node.key);
    const children = await queryClient.fetchQuery({
      queryKey: regionKeys.children(id),
      queryFn: () => fetchChildren(id),
    });
    setTreeData((nodes) => withChildren(nodes, String(node.key), children.map(toTreeNode)));
  };

  return (
    <Tree
      aria-label={t('regions.tree')}
      blockNode
      showLine
      treeData={treeData}
      loadData={loadData}
      expandedKeys={expandedKeys}
      onExpand={(keys) => setExpandedKeys(keys.map(String))}
      selectedKeys={current ? [String(current.id)] : []}
      onSelect={(_keys, info) => void navigate(hrefFor(Number(info.node.key)))}
    />
  );
}
