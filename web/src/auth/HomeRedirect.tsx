// The index route: sends the signed-in user to the page of their own region.
import { Navigate } from 'react-router';
import { useCurrentUser } from './currentUser.ts';

export function HomeRedirect() {
  const me = useCurrentUser();
  return <Navigate to={`/regions/${me.region.id}`} replace />;
}
