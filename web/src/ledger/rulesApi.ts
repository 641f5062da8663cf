// The county colour rules (三色规则): shapes of src/ledger/colour.ts, read / preview / save hooks.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../app/api.ts';
import { ledgerKeys } from './ledgerApi.ts';
import type { Colour } from './types.ts';

export type DiseaseState = 'none' | 'stable' | 'unstable';
export type VaccinationState = 'full' | 'partial' | 'none';
export const DISEASE_STATES: readonly DiseaseState[] = ['none', 'stable', 'unstable'];
export const VACCINATION_STATES: readonly VaccinationState[] = ['full', 'partial', 'none'];

export type AgeBand = { min: number; max: number | null; points: number };
export type ScoreBand = { min: number; max: number | null; colour: Colour };
export type FloorCondition = {
  categories?: string[];
  minAge?: number;
  maxAge?: number;
  disease?: DiseaseState[];
};
export type Floor = {
  id: string;
  label: { zh: string; en: string };
  atLeast: Colour;
  when: FloorCondition[];
};

export type ColourRuleset = {
  name: string;
  version: number;
  ageBands: AgeBand[];
  disease: Record<DiseaseState, number>;
  vaccination: Record<VaccinationState, number>;
  unknown: { agePoints: number; disease: DiseaseState; vaccination: VaccinationState };
  scoreBands: ScoreBand[];
  floors: Floor[];
};

export type RulesView = {
  countyCode: string;
  isDefault: boolean;
  rules: ColourRuleset;
  defaults: ColourRuleset;
};
export type Matrix = Record<Colour, Record<Colour, number>>;
export type RulesPreview = { countyCode: string; moved: number; matrix: Matrix };
export type RulesSaved = RulesPreview & { version: number };

const rulesKey = (regionId: number) => ['ledger', 'rules', regionId] as const;

export function useColourRules(regionId: number | undefined) {
  return useQuery({
    queryKey: rulesKey(regionId ?? 0),
    queryFn: () => api<RulesView>(`/api/regions/${regionId ?? 0}/colour-rules`),
    enabled: regionId !== undefined,
  });
}

export function usePreviewRules(regionId: number) {
  return useMutation({
    mutationFn: (rules: ColourRuleset) =>
      api<RulesPreview>(`/api/regions/${regionId}/colour-rules/preview`, { method: 'POST', body: { rules } }),
  });
}

export function useSaveRules(regionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rules: ColourRuleset) =>
      api<RulesSaved>(`/api/regions/${regionId}/colour-rules`, { method: 'PUT', body: { rules } }),
    // Every resident of the county may have a new colour: drop all cached ledger data.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ledgerKeys.all }),
  });
}
