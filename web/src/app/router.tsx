// Route table: /login, then behind sign-in the shell with /, /regions/:id and a catch-all 404.
import { lazy, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { HomeRedirect } from '../auth/HomeRedirect.tsx';
import { RequireAuth } from '../auth/RequireAuth.tsx';
import { AppLayout } from './AppLayout.tsx';
import { PageLoading } from './PageLoading.tsx';

const LoginPage = lazy(() => import('../auth/LoginPage.tsx').then((m) => ({ default: m.LoginPage })));
const RegionPage = lazy(() => import('../regions/RegionPage.tsx').then((m) => ({ default: m.RegionPage })));
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
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
