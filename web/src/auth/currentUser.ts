// React context carrying the signed-in user to everything rendered behind RequireAuth.
import { createContext, useContext } from 'react';
import type { Me } from '../app/types.ts';

export const CurrentUserContext = createContext<Me | null>(null);

/** The signed-in user; only valid below RequireAuth. */
export function useCurrentUser(): Me {
  const me = useContext(CurrentUserContext);
  if (!me) throw new Error('useCurrentUser must be used below RequireAuth');
  return me;
}
