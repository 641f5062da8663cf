// Key-population category names in the UI language, from the categories in force where a region lies.
import { useTranslation } from 'react-i18next';
import { useCategories } from './ledgerApi.ts';
import type { Category } from './types.ts';

export type CategoryLabels = {
  categories: Category[];
  label: (code: string) => string;
  /** Retired categories come disabled: still named where a resident has one, never offered anew. */
  options: { value: string; label: string; disabled?: boolean }[];
};

export function useCategoryLabels(regionId: number | undefined): CategoryLabels {
  const { i18n } = useTranslation();
  const query = useCategories(regionId);
  const categories = query.data ?? [];
  const name = (c: Category) => (i18n.language === 'en' ? c.nameEn : c.nameZh);
  const byCode = new Map(categories.map((c) => [c.code, name(c)]));
  return {
    categories,
    label: (code) => byCode.get(code) ?? code,
    options: categories.map((c) => ({ value: c.code, label: name(c), disabled: !c.active })),
  };
}
