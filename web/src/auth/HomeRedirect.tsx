// The index route: sends the signed-in user to the page of their own region (or to their orders).
import { Navigate } from 'react-router';
import { useCurrentUser } from './currentUser.ts';

export function HomeRedirect() {
  const me = useCurrentUser();
  // Members who work orders but keep no ledger (party and team members) start at "my orders".
  if (me.capabilities.includes('order.read') && !me.capabilities.includes('ledger.read'))
    return <Navigate to="/orders" replace />;
  return <Navigate to={`/regions/${me.region.id}`} replace />;
}
