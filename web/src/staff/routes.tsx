// The staff register's routes (人员), mounted inside the signed-in shell by app/router.tsx; each page
// is loaded on first visit.
import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const MembersPage = lazy(() => import('./MembersPage.tsx').then((m) => ({ default: m.MembersPage })));
const MemberPage = lazy(() => import('./MemberPage.tsx').then((m) => ({ default: m.MemberPage })));
const UnitsPage = lazy(() => import('./UnitsPage.tsx').then((m) => ({ default: m.UnitsPage })));
const TeamsPage = lazy(() => import('./TeamsPage.tsx').then((m) => ({ default: m.TeamsPage })));
const StaffingPage = lazy(() => import('./StaffingPage.tsx').then((m) => ({ default: m.StaffingPage })));

export const staffRoutes: RouteObject[] = [
  { path: 'staff', element: <MembersPage /> },
  { path: 'staff/members/:id', element: <MemberPage /> },
  { path: 'staff/units', element: <UnitsPage /> },
  { path: 'staff/teams', element: <TeamsPage /> },
  { path: 'staff/staffing', element: <StaffingPage /> },
];
