// The pairing section's routes, mounted inside the signed-in shell by app/router.tsx; each page is
// loaded on first visit.
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const CoveragePage = lazy(() => import('./CoveragePage.tsx').then((m) => ({ default: m.CoveragePage })));
const ProposalPage = lazy(() => import('./ProposalPage.tsx').then((m) => ({ default: m.ProposalPage })));
const CardsPage = lazy(() => import('./CardsPage.tsx').then((m) => ({ default: m.CardsPage })));
const MemberImportPage = lazy(() =>
  import('./MemberImportPage.tsx').then((m) => ({ default: m.MemberImportPage })),
);

export const pairingRoutes: RouteObject[] = [
  { path: 'pairing', element: <CoveragePage /> },
  { path: 'pairing/proposals/:id', element: <ProposalPage /> },
  { path: 'pairing/cards', element: <CardsPage /> },
  { path: 'pairing/members/import', element: <MemberImportPage /> },
];
