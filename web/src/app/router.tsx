// Route table: /login, then behind sign-in the shell with regions, ledger pages and a catch-all 404.
import { lazy, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { HomeRedirect } from '../auth/HomeRedirect.tsx';
import { RequireAuth } from '../auth/RequireAuth.tsx';
import { orderRoutes } from '../orders/routes.tsx';
import { pairingRoutes } from '../pairing/routes.tsx';
import { staffRoutes } from '../staff/routes.tsx';
import { AppLayout } from './AppLayout.tsx';
import { PageLoading } from './PageLoading.tsx';

const LoginPage = lazy(() => import('../auth/LoginPage.tsx').then((m) => ({ default: m.LoginPage })));
const RegionPage = lazy(() => import('../regions/RegionPage.tsx').then((m) => ({ default: m.RegionPage })));
const LedgerPage = lazy(() => import('../ledger/LedgerPage.tsx').then((m) => ({ default: m.LedgerPage })));
const ResidentPage = lazy(() =>
  import('../ledger/ResidentPage.tsx').then((m) => ({ default: m.ResidentPage })),
);
const HouseholdPage = lazy(() =>
  import('../ledger/HouseholdPage.tsx').then((m) => ({ default: m.HouseholdPage })),
);
const ColourRulesPage = lazy(() =>
  import('../ledger/ColourRulesPage.tsx').then((m) => ({ default: m.ColourRulesPage })),
);
const ImportPage = lazy(() => import('../ledger/ImportPage.tsx').then((m) => ({ default: m.ImportPage })));
const NotFoundPage = lazy(() => import('./NotFoundPage.tsx').then((m) => ({ default: m.NotFoundPage })));

export const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<PageLoading fullScreen />}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'regions/:id', element: <RegionPage /> },
          { path: 'regions/:id/colour-rules', element: <ColourRulesPage /> },
          { path: 'ledger', element: <LedgerPage /> },
          { path: 'ledger/import', element: <ImportPage /> },
          { path: 'residents/:id', element: <ResidentPage /> },
          { path: 'households/:id', element: <HouseholdPage /> },
          ...pairingRoutes,
          ...staffRoutes,
          ...orderRoutes,
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
