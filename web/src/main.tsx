// Console entry: wires the API client to i18n and the session, then renders providers and routes.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { configureApi } from './app/api.ts';
import { currentLanguage } from './app/i18n.ts';
import { Providers } from './app/Providers.tsx';
import { queryClient } from './app/queryClient.ts';
import { router } from './app/router.tsx';
import { meKey } from './auth/useMe.ts';
import './app/global.css';

configureApi({
  language: currentLanguage,
  // A 401 on any call means the session is gone: forget the user, and RequireAuth sends them to /login.
  onUnauthorized: () => queryClient.setQueryData(meKey, null),
});

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');

createRoot(container).render(
  <StrictMode>
    <Providers>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
