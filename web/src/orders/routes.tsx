// The service-loop section's routes, mounted inside the signed-in shell by app/router.tsx.
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const MyOrdersPage = lazy(() => import('./MyOrdersPage.tsx').then((m) => ({ default: m.MyOrdersPage })));
const BoardPage = lazy(() => import('./BoardPage.tsx').then((m) => ({ default: m.BoardPage })));
const OrderPage = lazy(() => import('./OrderPage.tsx').then((m) => ({ default: m.OrderPage })));
const SmsPage = lazy(() => import('./SmsPage.tsx').then((m) => ({ default: m.SmsPage })));

export const orderRoutes: RouteObject[] = [
  { path: 'orders', element: <MyOrdersPage /> },
  { path: 'orders/board', element: <BoardPage /> },
  { path: 'orders/sms', element: <SmsPage /> },
  { path: 'orders/:id', element: <OrderPage /> },
];
